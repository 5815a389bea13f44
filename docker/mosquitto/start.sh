#!/bin/sh
# Starts the broker; on the first start, creates the dynamic-security file with the platform's
# admin account (metertwin-admin, MQTT_ADMIN_PASSWORD), which creates every other account.
set -e
dynsec=/mosquitto/data/dynamic-security.json
if [ ! -s "$dynsec" ]; then
  : "${MQTT_ADMIN_PASSWORD:?MQTT_ADMIN_PASSWORD is needed to create the broker's admin account}"
  mosquitto_ctrl dynsec init "$dynsec" metertwin-admin "$MQTT_ADMIN_PASSWORD" >/dev/null
fi
# The broker drops to the mosquitto user and must read and rewrite the file.
chown mosquitto:mosquitto "$dynsec"
exec /usr/sbin/mosquitto -c /mosquitto/config/mosquitto.conf
