export { MqttAccounts, MqttAccountsError, type DeviceAccount } from './mqtt-accounts.js';
export { provisionMqttCamera, revokeMqttCamera } from './provision.js';
