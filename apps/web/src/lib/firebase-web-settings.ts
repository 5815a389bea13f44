import { z } from 'zod';

/** The Firebase web app's config (Firebase console → project settings → your apps → web app). */
export const FirebaseWebConfigSchema = z.object({
  apiKey: z.string().min(1),
  projectId: z.string().min(1),
  appId: z.string().min(1),
  messagingSenderId: z.string().min(1),
});

/** What a browser needs to register with FCM: the web app's config and the web push certificate's public key. */
export interface FirebaseWebSettings {
  config: z.infer<typeof FirebaseWebConfigSchema>;
  vapidKey: string;
}
