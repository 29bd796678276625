#!/usr/bin/env bash
# Back up the team platform into one new folder, DEST_DIR/atomkb-backup-YYYYMMDDTHHMMSSZ:
#
#   infra/backup.sh DEST_DIR
#
#   mlflow.dump, automl.dump  pg_dump --format=custom of each database (MLflow's runs,
#                             AutoML's Optuna studies)
#   mlartifacts.tar.gz        MLflow's artifacts folder
#   meilisearch.dump          a Meilisearch dump (its indexes, settings and API keys), when
#                             KB_MEILI_URL is set
#   manifest.json             every file with its size and SHA-256, and the versions
#
# The folder is written as DEST_DIR/.atomkb-backup-*.partial and renamed once complete: a
# backup that fails leaves nothing that looks like a backup. Its path is printed on
# stdout; infra/restore.sh restores it. infra/OPERATIONS.md gives the Compose commands.
#
# Settings (environment):
#   KB_PG_URL            libpq URL of the PostgreSQL server, as a role that may read both
#                        databases (the superuser): postgresql://postgres@HOST:5432/postgres.
#                        Its database part is replaced by each database's name. The
#                        password comes from PGPASSWORD or ~/.pgpass, never the URL.
#   KB_PG_DATABASES      the databases to dump ("mlflow automl")
#   KB_PG_BIN            the folder of pg_dump and psql (default: Debian's
#                        /usr/lib/postgresql/MAJOR/bin of the server's major version, or
#                        the tools on PATH if at least as new)
#   KB_ARTIFACTS_DIR     MLflow's artifacts folder (mlflow server --artifacts-destination)
#   KB_MEILI_URL         Meilisearch's URL, e.g. http://meilisearch:7700. Unset: no dump,
#                        said so (the local stack has no Meilisearch: kb serve stands in,
#                        and `kb index` rebuilds its index anyway)
#   KB_MEILI_MASTER_KEY  Meilisearch's master key (with KB_MEILI_URL)
#   KB_MEILI_DUMPS_DIR   Meilisearch's dump folder (its --dump-dir) as seen from here (with
#                        KB_MEILI_URL); the dump is moved out of it into the backup
#   KB_MEILI_TIMEOUT     seconds to wait for Meilisearch to write the dump (600)
#   KB_MLFLOW_VERSION    MLflow's version (or `mlflow --version`'s answer), for the
#                        manifest, where `mlflow` is not on PATH
#
# Needs bash, GNU coreutils and tar, and PostgreSQL's client tools (with the perl they
# depend on).
set -euo pipefail
umask 077  # the backup holds every run and study

# shellcheck source=infra/backup-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup-lib.sh"

(($# == 1)) || die "give the folder to write the backup into: infra/backup.sh DEST_DIR."
dest="$1"
need_setting KB_PG_URL "set it to the PostgreSQL server's libpq URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
need_setting KB_ARTIFACTS_DIR "set it to MLflow's artifacts folder (mlflow server --artifacts-destination)"
[[ -d "$KB_ARTIFACTS_DIR" ]] || die "KB_ARTIFACTS_DIR=$KB_ARTIFACTS_DIR is not a folder; point it at MLflow's artifacts folder."
if [[ -n "${KB_MEILI_URL:-}" ]]; then
    need_setting KB_MEILI_MASTER_KEY "Meilisearch's dumps route needs the master key"
    need_setting KB_MEILI_DUMPS_DIR "set it to Meilisearch's dump folder (--dump-dir) as seen from here"
fi

mkdir -p "$dest" 2>/dev/null || die "cannot create $dest; give a folder you can write to."
name="atomkb-backup-$(date -u +%Y%m%dT%H%M%SZ)"
[[ ! -e "$dest/$name" ]] || die "$dest/$name already exists; run again in a second."
work="$(mktemp -d "$dest/.$name.XXXXXX.partial")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM  # through the EXIT trap: an interrupted backup leaves nothing

PG_BIN="$(pg_client_dir)"
files=()  # the manifest's entries, as JSON objects

# add_file NAME KIND [EXTRA_JSON_MEMBERS]: list a file of the backup in the manifest.
add_file() {
    files+=("{\"name\": $(json_string "$1"), \"kind\": \"$2\", \"bytes\": $(size_of "$work/$1"), \"sha256\": \"$(sha256_of "$work/$1")\"${3:-}}")
}

# --- PostgreSQL, first: artifacts archived afterwards are then a superset of what the
# dumped runs refer to.
for database in $KB_PG_DATABASES; do
    if ! "$PG_BIN/pg_dump" --no-password --format=custom --file "$work/$database.dump" \
        --dbname "$(database_url "$database")" 2>"$work/pg_dump.log"; then
        die "pg_dump of database $database failed: $(tail -n1 "$work/pg_dump.log")."
    fi
    revision="$(psql_value "$database" 'SELECT version_num FROM alembic_version')"
    add_file "$database.dump" postgresql ", \"database\": $(json_string "$database"), \"alembic_revision\": $(json_string "$revision")"
    echo "${0##*/}: dumped database $database ($(size_of "$work/$database.dump") bytes)" >&2
done
rm -f "$work/pg_dump.log"

# --- MLflow's artifacts. GNU tar's status 1 means a file changed while it was read (an
# upload in progress): the archive is whole, that file as it was read.
status=0
tar --create --gzip --numeric-owner --file "$work/$ARTIFACTS_ARCHIVE" \
    --directory "$KB_ARTIFACTS_DIR" . || status=$?
case "$status" in
0) ;;
1) note "some artifact files changed while being archived (uploads in progress); they are kept as they were read." ;;
*) die "archiving $KB_ARTIFACTS_DIR failed (tar status $status); check that it is readable." ;;
esac
add_file "$ARTIFACTS_ARCHIVE" mlflow-artifacts
echo "${0##*/}: archived MLflow's artifacts ($(size_of "$work/$ARTIFACTS_ARCHIVE") bytes)" >&2

# --- Meilisearch: POST /dumps enqueues a task; the dump is DUMPS_DIR/<dumpUid>.dump.
skipped=""
meili_version=""
if [[ -n "${KB_MEILI_URL:-}" ]]; then
    answer="$(meili_request POST /dumps)" ||
        die "Meilisearch at $KB_MEILI_URL would not create a dump; check KB_MEILI_URL and KB_MEILI_MASTER_KEY."
    task="$(json_get taskUid <<<"$answer")" || task=""
    [[ "$task" =~ ^[0-9]+$ ]] || die "Meilisearch answered POST /dumps without a task uid: $answer."
    deadline=$((SECONDS + ${KB_MEILI_TIMEOUT:-600}))
    while :; do
        answer="$(meili_request GET "/tasks/$task")" ||
            die "Meilisearch stopped answering about dump task $task; see its log."
        state="$(json_get status <<<"$answer")"
        case "$state" in
        succeeded) break ;;
        failed | canceled)
            die "Meilisearch's dump task $task $state: $(json_get error.message <<<"$answer")" ;;
        esac
        ((SECONDS < deadline)) ||
            die "Meilisearch's dump task $task did not finish in ${KB_MEILI_TIMEOUT:-600} s; raise KB_MEILI_TIMEOUT."
        sleep 1
    done
    dump_uid="$(json_get details.dumpUid <<<"$answer")"
    written="$KB_MEILI_DUMPS_DIR/$dump_uid.dump"
    [[ -n "$dump_uid" && -f "$written" ]] ||
        die "Meilisearch wrote dump ${dump_uid:-?}.dump, but not into KB_MEILI_DUMPS_DIR=$KB_MEILI_DUMPS_DIR; point it at Meilisearch's --dump-dir."
    cp "$written" "$work/$MEILI_ARCHIVE"
    rm -f "$written"  # Meilisearch never removes a dump; the backup's copy is the one kept
    add_file "$MEILI_ARCHIVE" meilisearch ", \"dump_uid\": $(json_string "$dump_uid")"
    meili_version="$(meili_request GET /version | json_get pkgVersion)" || meili_version=""
    echo "${0##*/}: saved Meilisearch dump $dump_uid ($(size_of "$work/$MEILI_ARCHIVE") bytes)" >&2
else
    skipped="KB_MEILI_URL is unset: no Meilisearch to dump (the local stack has none; kb serve stands in for it and kb index rebuilds its index)"
    note "no Meilisearch dump: KB_MEILI_URL is unset (the local stack has no Meilisearch: kb serve stands in, and \`kb index\` rebuilds the search index anyway)."
fi

# --- The manifest, then the rename that makes the backup complete.
mlflow_version="${KB_MLFLOW_VERSION:-}"
if [[ -z "$mlflow_version" ]] && command -v mlflow >/dev/null; then
    mlflow_version="$(mlflow --version 2>/dev/null)" || mlflow_version=""
fi
mlflow_version="${mlflow_version##* }"  # "mlflow, version 3.17.2" -> 3.17.2
first_database="${KB_PG_DATABASES%% *}"
{
    echo "{"
    echo "  \"format\": \"$BACKUP_FORMAT\","
    echo "  \"created\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
    echo "  \"files\": ["
    last=$((${#files[@]} - 1))
    for index in "${!files[@]}"; do
        echo "    ${files[index]}$( ((index < last)) && echo ,)"
    done
    echo "  ],"
    echo "  \"skipped\": {$([[ -n "$skipped" ]] && echo "\"meilisearch\": $(json_string "$skipped")")},"
    echo "  \"versions\": {"
    echo "    \"pg_dump\": $(json_string "$("$PG_BIN/pg_dump" --version)"),"
    echo "    \"postgresql\": $(json_string "$(psql_value "$first_database" 'SHOW server_version')"),"
    echo "    \"mlflow\": $(json_string "${mlflow_version:-unknown: mlflow is not on PATH and KB_MLFLOW_VERSION is unset}"),"
    echo "    \"optuna\": $(json_string "$(psql_value automl 'SELECT library_version FROM version_info')"),"
    echo "    \"meilisearch\": $(json_string "$meili_version")"
    echo "  }"
    echo "}"
} >"$work/$MANIFEST"
json_get format <"$work/$MANIFEST" >/dev/null || die "the manifest came out malformed; this is a bug in infra/backup.sh."

mv --no-target-directory "$work" "$dest/$name"
echo "${0##*/}: backup complete" >&2
echo "$dest/$name"
