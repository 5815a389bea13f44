export { CameraAgent, type AgentHealth } from './agent.js';
export { AgentConfigSchema, loadConfig, type AgentConfig, type AgentConfigInput } from './config.js';
export { startHealthServer } from './health-server.js';
export { Spool, type SpooledPhoto } from './spool.js';
export { upload, type UploadOutcome } from './uploader.js';
