import type en from '../../messages/en.json';

/** The shape of every locale's messages (English is the reference; see test/messages.test.ts). */
export type Messages = typeof en;
