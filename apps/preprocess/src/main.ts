import 'reflect-metadata';
import { runMain } from '@metertwin/service-kit';
import { startPreprocess } from './index.js';

runMain('preprocess', startPreprocess);
