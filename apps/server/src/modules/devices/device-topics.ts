/** The MQTT topics of one device (docs/device-protocol.md): where it publishes and where it listens. */
export const eventsTopic = (deviceId: string) => `zy/v1/devices/${deviceId}/events`;
export const commandsTopic = (deviceId: string) => `zy/v1/devices/${deviceId}/commands`;
