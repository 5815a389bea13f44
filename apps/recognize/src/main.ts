import 'reflect-metadata';
import { runMain } from '@metertwin/service-kit';
import { startRecognize } from './index.js';

runMain('recognize', startRecognize);
