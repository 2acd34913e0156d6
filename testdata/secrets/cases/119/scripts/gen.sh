#!/bin/sh
export API_TOKEN=$(vault kv get -field=token secret/app)
export DB_PASSWORD="$(aws ssm get-parameter --name /prod/db --with-decryption)"
