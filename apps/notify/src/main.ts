import 'reflect-metadata';
import { runMain } from '@metertwin/service-kit';
import { startNotify } from './index.js';

runMain('notify', startNotify);
