# Shared by infra/backup.sh and infra/restore.sh (sourced, never run): the settings, the
# PostgreSQL client matching the server, database URLs, JSON and HTTP.
#
# JSON and HTTP go through perl's core modules (JSON::PP, HTTP::Tiny): Debian's
# PostgreSQL client packages depend on perl, so it is wherever pg_dump is, including the
# postgres image the Compose procedure runs these scripts in (which has no curl or jq).

# shellcheck shell=bash
# shellcheck disable=SC2034  # the constants are the sourcing scripts'

BACKUP_FORMAT="atomkb-backup/1"
MANIFEST="manifest.json"
ARTIFACTS_ARCHIVE="mlartifacts.tar.gz"
MEILI_ARCHIVE="meilisearch.dump"
KB_PG_DATABASES="${KB_PG_DATABASES:-mlflow automl}"

# die MESSAGE: one sentence on stderr, prefixed by the script's name; exit 1.
die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

note() {
    echo "${0##*/}: $*" >&2
}

need_setting() {
    [[ -n "${!1:-}" ]] || die "$1 is not set; $2."
}

# database_url NAME: KB_PG_URL with its database replaced by NAME (query string kept).
database_url() {
    local url="$KB_PG_URL" query=""
    if [[ "$url" == *\?* ]]; then
        query="?${url#*\?}"
        url="${url%%\?*}"
    fi
    url="${url%/}"
    local after_scheme="${url#*://}"
    if [[ "$after_scheme" == */* ]]; then
        url="${url%/*}"
    fi
    printf '%s/%s%s' "$url" "$1" "$query"
}

_major_of() {  # "pg_dump (PostgreSQL) 15.18 (Debian ...)" -> 15
    local version
    version="$("$1" --version)" || return 1
    version="${version#*) }"
    echo "${version%%[!0-9]*}"
}

# pg_client_dir: the folder of the pg_dump, pg_restore and psql to use, on stdout. KB_PG_BIN
# wins; else Debian's /usr/lib/postgresql/MAJOR/bin of the server's major version, a
# newer one, or the tools on PATH when they are at least as new as the server.
pg_client_dir() {
    if [[ -n "${KB_PG_BIN:-}" ]]; then
        [[ -x "$KB_PG_BIN/pg_dump" ]] || die "KB_PG_BIN=$KB_PG_BIN holds no pg_dump; point it at a PostgreSQL bin folder."
        echo "$KB_PG_BIN"
        return
    fi
    local candidates=() debian=() folder
    mapfile -t debian < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -t/ -k5,5n)
    for folder in "${debian[@]}"; do  # oldest first: the server's own version wins
        [[ -x "$folder/pg_dump" && -x "$folder/psql" ]] && candidates+=("$folder")
    done
    if command -v pg_dump >/dev/null && command -v psql >/dev/null; then
        candidates+=("$(dirname "$(command -v pg_dump)")")
    fi
    ((${#candidates[@]})) || die "PostgreSQL's client tools (pg_dump, pg_restore, psql) are not installed; install Debian's postgresql-client or set KB_PG_BIN."
    local first_db="${KB_PG_DATABASES%% *}" server
    server="$("${candidates[-1]}/psql" --no-psqlrc --no-password --tuples-only --no-align \
        --dbname "$(database_url "$first_db")" --command 'SHOW server_version_num' 2>&1)" ||
        die "cannot reach PostgreSQL at KB_PG_URL ($(head -n1 <<<"$server")); check the URL and the password (PGPASSWORD or ~/.pgpass)."
    local major=$((server / 10000))
    for folder in "${candidates[@]}"; do
        local tools_major
        tools_major="$(_major_of "$folder/pg_dump")"
        if ((tools_major >= major)); then
            echo "$folder"
            return
        fi
    done
    die "the PostgreSQL server is version $major and no pg_dump here is as new; install Debian's postgresql-client-$major or set KB_PG_BIN."
}

# psql_value DATABASE SQL: one value, or nothing when the query fails (e.g. no such table).
psql_value() {
    "$PG_BIN/psql" --no-psqlrc --no-password --tuples-only --no-align --quiet \
        --dbname "$(database_url "$1")" --command "$2" 2>/dev/null | head -n1 || true
}

# json_get PATH < JSON: the value at a dotted path (a.b.0.c) of the JSON on stdin, printed
# as text (nothing when absent); fails when stdin is not JSON.
json_get() {
    perl -MJSON::PP -e '
        local $/;
        my $value = eval { JSON::PP->new->allow_nonref->decode(<STDIN>) };
        exit 2 if $@;
        for my $key (split /\./, $ARGV[0]) {
            $value = ref $value eq "HASH" ? $value->{$key}
                   : ref $value eq "ARRAY" && $key =~ /^\d+$/ ? $value->[$key] : undef;
        }
        print defined $value && !ref $value ? $value : "";
    ' "$1"
}

# json_string TEXT: TEXT as a JSON string literal.
json_string() {
    perl -MJSON::PP -e 'print JSON::PP->new->allow_nonref->encode($ARGV[0])' "$1"
}

# meili_request METHOD PATH: Meilisearch's answer on stdout, with the master key; fails,
# saying why on stderr, on an HTTP error or no answer.
meili_request() {
    perl -MHTTP::Tiny -e '
        my ($method, $url) = @ARGV;
        my $answer = HTTP::Tiny->new(timeout => 60)->request($method, $url, {
            headers => {Authorization => "Bearer $ENV{KB_MEILI_MASTER_KEY}"},
        });
        if (!$answer->{success}) {
            my $why = $answer->{status} == 599 ? $answer->{content} : "HTTP $answer->{status}";
            $why =~ s/\s+$//;
            print STDERR "$why\n";
            exit 1;
        }
        print $answer->{content};
    ' "$1" "${KB_MEILI_URL%/}$2"
}

sha256_of() {
    local sum
    sum="$(sha256sum "$1")"
    echo "${sum%% *}"
}

size_of() {
    stat -c %s "$1"
}
