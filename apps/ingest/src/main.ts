import 'reflect-metadata';
import { runMain } from '@metertwin/service-kit';
import { startIngest } from './index.js';

runMain('ingest', startIngest);
