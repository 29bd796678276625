#!/usr/bin/env bash
# One role and one database per name in KB_DATABASES ("mlflow automl"): MLflow's
# tracking store and AutoML's Optuna studies, each owned by its own login role, so a
# worker given the studies role cannot touch the experiments. Each role's password is
# read from the secret file KB_DB_SECRETS_DIR/NAME_db_password.
#
# The official postgres image runs this once, on the first start of an empty data
# volume (/docker-entrypoint-initdb.d), as the superuser, over the local socket.
set -euo pipefail

secrets_dir="${KB_DB_SECRETS_DIR:-/run/secrets}"

for name in ${KB_DATABASES:?name the databases to create, e.g. "mlflow automl"}; do
    password_file="$secrets_dir/${name}_db_password"
    if [[ ! -s "$password_file" ]]; then
        echo "init-databases: $password_file is missing or empty; write the $name role's password there" >&2
        exit 1
    fi
    password="$(<"$password_file")"
    # psql variables quote the names (:"name") and the password (:'password'), so no
    # value is ever spliced into SQL text.
    psql --no-psqlrc --set ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" \
        --dbname postgres --set name="$name" --set password="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
    echo "init-databases: role and database \"$name\" created"
done
