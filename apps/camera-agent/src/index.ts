export { CameraAgent, type AgentHealth } from './agent.js';
export { AgentConfigSchema, loadConfig, uploaderFor, type AgentConfig, type AgentConfigInput } from './config.js';
export { startHealthServer } from './health-server.js';
export { Spool, type SpooledPhoto } from './spool.js';
export { HttpUploader, upload, type PhotoUploader, type UploadOutcome } from './uploader.js';
export { MqttUploader } from './mqtt-uploader.js';
export { MqttCommandListener } from './mqtt-commands.js';
