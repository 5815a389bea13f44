import { parseWebEnv, WebConfigError } from './lib/config';

try {
  parseWebEnv(process.env);
} catch (error) {
  if (error instanceof WebConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
