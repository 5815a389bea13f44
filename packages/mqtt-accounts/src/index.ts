export { MqttAccounts, MqttAccountsError, type DeviceAccount, type DeviceAclsUpdate } from './mqtt-accounts.js';
export { provisionMqttCamera, reconcileMqttCameras, revokeMqttCamera } from './provision.js';
