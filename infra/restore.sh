#!/usr/bin/env bash
# Restore a backup of infra/backup.sh into the platform's (fresh) services:
#
#   infra/restore.sh BACKUP      # the atomkb-backup-... folder
#
# 1. Verifies every file against manifest.json (size and SHA-256) before touching
#    anything; a backup that does not verify is refused.
# 2. PostgreSQL: each database's dump with pg_restore --clean --if-exists, in one
#    transaction (a failure leaves the database as it was), its objects owned by the
#    database's owner (the role the service logs in as). The databases must exist and be
#    empty or hold the same schema revision as the backup (a fresh deployment of the same
#    MLflow and Optuna versions); a different revision is refused, untouched.
# 3. MLflow's artifacts: unpacked into the artifacts folder.
# 4. Meilisearch: it imports a dump only when it starts (--import-dump, on an empty
#    database), so the dump is copied into its dump folder and the command is printed.
# Afterwards restart mlflow and optuna-dashboard (optuna-dashboard caches the trials of
# the studies it has shown). infra/OPERATIONS.md gives the Compose commands.
#
# Settings (environment), as for infra/backup.sh:
#   KB_PG_URL            libpq URL of the PostgreSQL server, as the superuser (password
#                        from PGPASSWORD or ~/.pgpass); each database keeps its name
#   KB_PG_BIN            the folder of pg_restore and psql (default: as infra/backup.sh)
#   KB_ARTIFACTS_DIR     MLflow's artifacts folder (mlflow server --artifacts-destination)
#   KB_MEILI_DUMPS_DIR   Meilisearch's dump folder, as seen from here; unset: the dump is
#                        not copied (`kb index` rebuilds the search index, without the
#                        API keys the dump would bring back)
set -euo pipefail
umask 077

# shellcheck source=infra/backup-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup-lib.sh"

(($# == 1)) || die "give the backup folder to restore: infra/restore.sh BACKUP."
backup="${1%/}"
manifest="$backup/$MANIFEST"
need_setting KB_PG_URL "set it to the PostgreSQL server's libpq URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
need_setting KB_ARTIFACTS_DIR "set it to MLflow's artifacts folder (mlflow server --artifacts-destination)"
[[ -f "$manifest" ]] || die "$backup holds no $MANIFEST; give a folder written by infra/backup.sh."

# --- 1. Verify everything first.
refuse() {
    die "$backup does not verify ($1), so nothing was restored."
}
format="$(json_get format <"$manifest")" || refuse "its $MANIFEST is not JSON"
[[ "$format" == "$BACKUP_FORMAT" ]] || refuse "its $MANIFEST is of format '$format', not $BACKUP_FORMAT"
databases=() dumps=() revisions=() artifacts="" meili_dump="" meili_uid=""
for ((index = 0; ; index++)); do
    name="$(json_get "files.$index.name" <"$manifest")"
    [[ -n "$name" ]] || break
    [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || refuse "its manifest names a file '$name' outside the folder"
    [[ -f "$backup/$name" ]] || refuse "$name is missing"
    [[ "$(size_of "$backup/$name")" == "$(json_get "files.$index.bytes" <"$manifest")" ]] ||
        refuse "$name's size differs from the manifest"
    [[ "$(sha256_of "$backup/$name")" == "$(json_get "files.$index.sha256" <"$manifest")" ]] ||
        refuse "$name's SHA-256 differs from the manifest"
    case "$(json_get "files.$index.kind" <"$manifest")" in
    postgresql)
        databases+=("$(json_get "files.$index.database" <"$manifest")")
        dumps+=("$name")
        revisions+=("$(json_get "files.$index.alembic_revision" <"$manifest")")
        ;;
    mlflow-artifacts) artifacts="$name" ;;
    meilisearch)
        meili_dump="$name"
        meili_uid="$(json_get "files.$index.dump_uid" <"$manifest")"
        ;;
    esac
done
if ((${#databases[@]} == 0)) || [[ -z "$artifacts" ]]; then
    refuse "its manifest lists no database dump or no artifacts archive"
fi
echo "${0##*/}: $backup verified ($index files)"

# --- 2. PostgreSQL.
PG_BIN="$(pg_client_dir)"
owners=()
for index in "${!databases[@]}"; do
    database="${databases[index]}"
    owner="$(psql_value "$database" 'SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()')"
    [[ -n "$owner" ]] || die "cannot open database $database at KB_PG_URL; create it first (a fresh deployment has it) and check the password."
    owners+=("$owner")
    present="$(psql_value "$database" 'SELECT version_num FROM alembic_version')"
    if [[ -n "$present" && "$present" != "${revisions[index]}" ]]; then
        die "database $database holds schema revision $present and the backup ${revisions[index]:-none}; restore into empty databases (start only postgres) or services of the backup's versions, then upgrade (infra/OPERATIONS.md)."
    fi
done
# A service holding a lock would stall the restore; give up after a minute instead.
export PGOPTIONS="${PGOPTIONS:-} -c lock_timeout=60s"
for index in "${!databases[@]}"; do
    database="${databases[index]}"
    log="$(mktemp)"
    if ! "$PG_BIN/pg_restore" --no-password --clean --if-exists --no-owner --no-privileges \
        --role "${owners[index]}" --single-transaction --exit-on-error \
        --dbname "$(database_url "$database")" "$backup/${dumps[index]}" 2>"$log"; then
        why="$(grep -m1 'error:' "$log" || tail -n1 "$log")"
        rm -f "$log"
        die "restoring database $database failed and left it as it was (${why#*error: }); stop the services using it and run again."
    fi
    rm -f "$log"
    echo "${0##*/}: restored database $database (owned by ${owners[index]})"
done

# --- 3. MLflow's artifacts.
mkdir -p "$KB_ARTIFACTS_DIR"
tar --extract --gzip --numeric-owner --file "$backup/$artifacts" --directory "$KB_ARTIFACTS_DIR" ||
    die "unpacking the artifacts into $KB_ARTIFACTS_DIR failed; check that it is writable and has room."
echo "${0##*/}: restored MLflow's artifacts into $KB_ARTIFACTS_DIR"

# --- 4. Meilisearch.
if [[ -z "$meili_dump" ]]; then
    echo "${0##*/}: the backup holds no Meilisearch dump; rebuild the search index with kb index."
elif [[ -z "${KB_MEILI_DUMPS_DIR:-}" ]]; then
    echo "${0##*/}: KB_MEILI_DUMPS_DIR is unset, so the Meilisearch dump was not copied; set it to bring back the index and its API keys, or rebuild the index with kb index."
else
    mkdir -p "$KB_MEILI_DUMPS_DIR"
    cp "$backup/$meili_dump" "$KB_MEILI_DUMPS_DIR/.$meili_uid.dump.partial"
    mv "$KB_MEILI_DUMPS_DIR/.$meili_uid.dump.partial" "$KB_MEILI_DUMPS_DIR/$meili_uid.dump"
    echo "${0##*/}: copied the Meilisearch dump to $KB_MEILI_DUMPS_DIR/$meili_uid.dump; start Meilisearch once, on an empty database, with --import-dump $KB_MEILI_DUMPS_DIR/$meili_uid.dump (MEILI_IMPORT_DUMP)."
fi
echo "${0##*/}: done; restart mlflow and optuna-dashboard so that nothing they cached outlives the restore."
