#!/usr/bin/env bash
# Releases of the knowledge-base site on the team's server (the CI deploy and rollback
# jobs call this; so can a person on the server).
#
#   infra/deploy.sh deploy SITE_ARCHIVE   unpack a new release, switch to it, check it
#   infra/deploy.sh rollback              back to the release before the current one
#   infra/deploy.sh status                the current release and the kept ones
#
# SITE_ARCHIVE is a .tar.gz of the CONTENTS of `kb build`'s _build/html, index.html at
# its top (what the CI build job makes: tar -C _build/html -czf _build/site.tar.gz .).
#
# Under $KB_DEPLOY_ROOT (which must exist; the proxy mounts it at the same path):
#   releases/<UTC time>-<id>   one folder per release, never changed once unpacked; <id>
#                              is $CI_COMMIT_SHORT_SHA, else the archive's SHA-256 prefix
#   current -> releases/...    the release nginx serves (its root is this symlink)
#   .deploy.lock               flock: two runs never interleave (the second waits)
#
# deploy: unpack into a hidden folder of releases/, rename it into place, point `current`
# at it atomically (a new symlink renamed over the old one), run $KB_DEPLOY_UP, then check
# the site through the proxy. The check passes when $KB_HEALTH_URL (a page of the site,
# e.g. https://kb.example.org/index.html, with the login $KB_HEALTH_USER and
# $KB_HEALTH_PASSWORD) answers 200 with the release's own file for that page: the same
# bytes up to its first </body>, where the proxy adds kb's search box. So a proxy still
# serving the old release fails it, as does an error page. On failure (or a failed up
# command, or an interrupted run) `current` goes back to the release it replaced and the
# new one is deleted. On success only the newest $KB_KEEP_RELEASES releases are kept,
# never the current one or the one before it.
#
# rollback: point `current` at the release before it, run $KB_DEPLOY_UP and the same
# check; on success the release left is deleted (deploy its archive again to return to
# it), so `current` is always the newest release and a second rollback goes further back.
#
# Settings (environment):
#   KB_DEPLOY_ROOT       where releases live, e.g. /srv/atomkb (required)
#   KB_HEALTH_URL        the page the check asks for through the proxy (deploy, rollback)
#   KB_HEALTH_USER, KB_HEALTH_PASSWORD   a login of the proxy's htpasswd file
#   KB_HEALTH_TIMEOUT    seconds the check keeps trying, once a second (default 60)
#   KB_KEEP_RELEASES     releases kept (default 5)
#   KB_DEPLOY_UP         the command bringing the platform up, run from the repository's
#                        root (default: docker compose -f infra/compose.yaml
#                        --env-file infra/.env up -d --wait)
#   KB_LOCK_TIMEOUT      seconds to wait for another run's lock (default 900)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RELEASE_NAME='^[0-9]{8}T[0-9]{6}\.[0-9]{3}Z-[A-Za-z0-9]+$'
DEFAULT_UP='docker compose -f infra/compose.yaml --env-file infra/.env up -d --wait'

usage() {
    sed -n '5,7s/^#   //p' "${BASH_SOURCE[0]}"
}

# A refusal or an error: one sentence on stderr, a non-zero exit.
fail() {
    printf 'deploy.sh: %s\n' "$1" >&2
    exit "${2:-1}"
}

# Progress, on stdout.
say() {
    printf 'deploy.sh: %s\n' "$1"
}

# What an operator must not miss, on stderr.
shout() {
    printf 'deploy.sh: *** %s\n' "$1" >&2
}

# -- settings ---------------------------------------------------------------------------

positive_integer() {  # NAME VALUE
    [[ $2 =~ ^[1-9][0-9]{0,5}$ ]] || fail "$1=$2 is not a positive whole number; set it to one (e.g. $1=5)."
}

read_settings() {
    [[ -n ${KB_DEPLOY_ROOT:-} ]] || fail "KB_DEPLOY_ROOT is not set; set it to the folder holding the releases (e.g. /srv/atomkb)."
    [[ -d $KB_DEPLOY_ROOT ]] || fail "KB_DEPLOY_ROOT=$KB_DEPLOY_ROOT is not a folder; create it (writable by the deploy user) or fix the setting."
    ROOT=$(cd "$KB_DEPLOY_ROOT" && pwd)
    RELEASES=$ROOT/releases
    CURRENT=$ROOT/current
    KEEP=${KB_KEEP_RELEASES:-5}
    positive_integer KB_KEEP_RELEASES "$KEEP"
    HEALTH_TIMEOUT=${KB_HEALTH_TIMEOUT:-60}
    positive_integer KB_HEALTH_TIMEOUT "$HEALTH_TIMEOUT"
    LOCK_TIMEOUT=${KB_LOCK_TIMEOUT:-900}
    positive_integer KB_LOCK_TIMEOUT "$LOCK_TIMEOUT"
    UP=${KB_DEPLOY_UP:-$DEFAULT_UP}
    if [[ -e $CURRENT && ! -L $CURRENT ]]; then
        fail "$CURRENT is not a symlink; move it away so deploy.sh can manage it."
    fi
}

# The site path KB_HEALTH_URL asks for, as a file of a release (index.html for folders).
read_health_url() {
    local url=${KB_HEALTH_URL:-}
    [[ -n $url ]] || fail "KB_HEALTH_URL is not set; set it to a page of the site through the proxy (e.g. https://kb.example.org/index.html)."
    [[ $url =~ ^https?://[^/?#]+(/[^?#]*)?([?#].*)?$ ]] || fail "KB_HEALTH_URL=$url is not an http(s) URL; set it to a page of the site through the proxy (e.g. https://kb.example.org/index.html)."
    HEALTH_PAGE=${BASH_REMATCH[1]#/}
    [[ /$HEALTH_PAGE/ != */../* ]] || fail "KB_HEALTH_URL=$url climbs out of the site with '..'; name a page of the site."
    if [[ -z $HEALTH_PAGE || $HEALTH_PAGE == */ ]]; then
        HEALTH_PAGE+=index.html
    fi
}

# A site folder's file for HEALTH_PAGE (as nginx's try_files finds it), or nothing.
health_file() {  # FOLDER
    local file=$1/$HEALTH_PAGE
    [[ -d $file ]] && file=$file/index.html
    [[ -f $file ]] && printf '%s\n' "$file"
    return 0
}

# -- releases ---------------------------------------------------------------------------

# Every release, oldest first (names sort by time).
list_releases() {
    local path name
    for path in "$RELEASES"/*/; do
        name=${path%/}
        name=${name##*/}
        if [[ $name =~ $RELEASE_NAME ]]; then
            printf '%s\n' "$name"
        fi
    done
}

# The release `current` points at, or nothing before the first deploy.
current_release() {
    [[ -L $CURRENT ]] || return 0
    local target name
    target=$(readlink "$CURRENT")
    name=${target##*/}
    if [[ $target != "releases/$name" && $target != "$RELEASES/$name" ]] \
        || ! [[ $name =~ $RELEASE_NAME && -d $RELEASES/$name ]]; then
        fail "$CURRENT points at $target, which is not a release under $RELEASES; point it at one or remove it."
    fi
    printf '%s\n' "$name"
}

# The newest release older than the given one, or nothing.
release_before() {  # RELEASE
    local name before=""
    while read -r name; do
        [[ $name < $1 ]] && before=$name
    done < <(list_releases)
    printf '%s\n' "$before"
}

# Point `current` at a release in one rename: a request sees the old or the new, never
# no site. The link is relative, so it resolves wherever the deploy root is mounted.
switch_to() {  # RELEASE
    local link=$ROOT/.current.$$
    ln -sfn "releases/$1" "$link"
    mv -T "$link" "$CURRENT"
}

# -- the run's state, undone by on_exit when the run fails -------------------------------

SWITCHED_FROM=""   # the release `current` pointed at before this run switched it
SWITCHED=false     # `current` was switched and the switch is not confirmed yet
DISCARD=""         # a release this run made and deletes if it fails
TEMP_PATHS=()

on_exit() {
    local status=$?
    if ((status != 0)) && $SWITCHED; then
        if [[ -n $SWITCHED_FROM ]]; then
            switch_to "$SWITCHED_FROM" || shout "could not point $CURRENT back at $SWITCHED_FROM: fix it by hand"
            shout "SWITCHED BACK: current is $SWITCHED_FROM again."
        else
            shout "there is no earlier release to go back to: current stays at $DISCARD."
            DISCARD=""
        fi
        # A request that read the old link just before the switch back may still be
        # looking its file up in the release: give it a moment before deleting it.
        [[ -n $DISCARD ]] && sleep 1
    fi
    if ((status != 0)) && [[ -n $DISCARD ]]; then
        rm -rf -- "${RELEASES:?}/$DISCARD"
        shout "deleted the release $DISCARD."
    fi
    if ((${#TEMP_PATHS[@]})); then
        rm -rf -- "${TEMP_PATHS[@]}"
    fi
}

lock() {
    mkdir -p "$RELEASES"
    exec 9>>"$ROOT/.deploy.lock"
    flock -w "$LOCK_TIMEOUT" 9 || fail "another deploy.sh has held $ROOT/.deploy.lock for $LOCK_TIMEOUT s; wait for it to finish or end it."
    # What an interrupted run (killed before its clean-up) left.
    rm -rf -- "$RELEASES"/.incoming.* "$ROOT"/.current.*
}

run_up() {
    say "running: $UP"
    local status=0
    (cd "$REPO" && bash -c "$UP") 9>&- || status=$?
    ((status == 0)) || {
        shout "the up command failed (exit $status): $UP"
        exit 1
    }
}

# -- the health check -------------------------------------------------------------------

# How many bytes of FILE the proxy serves unchanged: up to its first </body> (where nginx's
# sub_filter, which ignores case, adds kb's search box), else all of it.
unchanged_length() {  # FILE
    local hit
    hit=$(grep -a -b -o -i -m 1 -F '</body>' "$1" || true)
    if [[ -n $hit ]]; then
        hit=${hit%%$'\n'*}
        printf '%s\n' "${hit%%:*}"
    else
        stat -c %s "$1"
    fi
}

# Ask the proxy for KB_HEALTH_URL once a second for KB_HEALTH_TIMEOUT seconds until it
# answers 200 with the release's file; HEALTH_PROBLEM says what the last answer was.
healthy() {  # RELEASE
    local expected length body errors code deadline tries=0 max_time header=()
    expected=$(health_file "$RELEASES/$1")
    if [[ -z $expected ]]; then
        HEALTH_PROBLEM="release $1 has no file for $HEALTH_PAGE"
        return 1
    fi
    length=$(unchanged_length "$expected")
    body=$(mktemp)
    errors=$(mktemp)
    TEMP_PATHS+=("$body" "$errors")
    if [[ -n ${KB_HEALTH_USER:-} ]]; then
        # On stdin, not the command line, where any user of the server could read it.
        header=(--header @-)
    fi
    deadline=$((SECONDS + HEALTH_TIMEOUT))
    while :; do
        tries=$((tries + 1))
        max_time=$((deadline - SECONDS))
        ((max_time < 2)) && max_time=2
        ((max_time > 10)) && max_time=10
        code=$(curl --silent --show-error --proto '=http,https' --max-time "$max_time" \
            --output "$body" --write-out '%{http_code}' "${header[@]}" -- "$KB_HEALTH_URL" \
            2>"$errors" <<<"Authorization: Basic $(printf '%s:%s' "${KB_HEALTH_USER:-}" \
            "${KB_HEALTH_PASSWORD:-}" | base64 -w 0)") || true
        if [[ $code != 200 ]]; then
            HEALTH_PROBLEM="answered HTTP $code"
            [[ -s $errors ]] && HEALTH_PROBLEM="failed: $(tail -n 1 "$errors")"
        elif ! cmp -s -n "$length" "$body" "$expected"; then
            HEALTH_PROBLEM="answered 200 with another page than $1's $HEALTH_PAGE (is the proxy serving another release?)"
        else
            say "health check passed: $KB_HEALTH_URL serves $1's $HEALTH_PAGE (try $tries)"
            return 0
        fi
        ((SECONDS < deadline)) || break
        sleep 1
    done
    HEALTH_PROBLEM="$KB_HEALTH_URL $HEALTH_PROBLEM (last of $tries tries in $HEALTH_TIMEOUT s)"
    return 1
}

check_or_undo() {  # RELEASE
    if ! healthy "$1"; then
        shout "HEALTH CHECK FAILED for $1: $HEALTH_PROBLEM."
        exit 1
    fi
}

# -- commands ---------------------------------------------------------------------------

deploy() {  # SITE_ARCHIVE
    local archive=$1 incoming errors short_id name newest previous stray
    read_settings
    [[ -f $archive ]] || fail "SITE_ARCHIVE $archive does not exist; pass the .tar.gz the build job made (_build/site.tar.gz)."
    [[ -r $archive ]] || fail "SITE_ARCHIVE $archive is not readable by $(id -un); fix its permissions."
    read_health_url
    lock

    incoming=$(mktemp -d "$RELEASES/.incoming.XXXXXX")
    TEMP_PATHS+=("$incoming")
    errors=$(mktemp)
    TEMP_PATHS+=("$errors")
    if ! tar -xzf "$archive" -C "$incoming" --no-same-owner --no-same-permissions 2>"$errors"; then
        fail "SITE_ARCHIVE $archive is not a readable .tar.gz ($(head -n 1 "$errors")); pass the archive the build job made."
    fi
    if [[ ! -f $incoming/index.html || -L $incoming/index.html ]]; then
        fail "SITE_ARCHIVE $archive has no index.html at its top; pack the contents of _build/html (tar -C _build/html -czf site.tar.gz .)."
    fi
    stray=$(find "$incoming" ! -type f ! -type d -print -quit)
    if [[ -n $stray ]]; then
        fail "SITE_ARCHIVE $archive holds ${stray#"$incoming"/}, which is neither a file nor a folder; a site archive holds only those."
    fi
    if [[ -z $(health_file "$incoming") ]]; then
        fail "SITE_ARCHIVE $archive has no $HEALTH_PAGE, the page KB_HEALTH_URL checks; set KB_HEALTH_URL to a page every release has (e.g. /index.html)."
    fi
    chmod -R u+rwX,go+rX,go-w "$incoming"  # the proxy's nginx user reads it

    short_id=${CI_COMMIT_SHORT_SHA:-}
    if ! [[ $short_id =~ ^[A-Za-z0-9]{1,40}$ ]]; then
        short_id=$(sha256sum "$archive")
        short_id=${short_id:0:8}
    fi
    name=$(date -u +%Y%m%dT%H%M%S.%3NZ)-$short_id
    newest=$(list_releases | tail -n 1)
    if [[ -n $newest && ! $name > $newest ]]; then
        fail "the clock ($name) is behind the newest release $newest; fix the server's time before deploying."
    fi
    previous=$(current_release)
    mv -T "$incoming" "$RELEASES/$name"
    DISCARD=$name
    say "unpacked release $name"

    SWITCHED_FROM=$previous
    SWITCHED=true
    switch_to "$name"
    say "current -> releases/$name (was ${previous:-nothing})"
    run_up
    check_or_undo "$name"
    SWITCHED=false
    DISCARD=""
    prune "$name" "$previous"
    say "deployed $name"
}

prune() {  # CURRENT PREVIOUS
    local releases name count
    mapfile -t releases < <(list_releases)
    count=${#releases[@]}
    for name in "${releases[@]:0:$((count > KEEP ? count - KEEP : 0))}"; do
        [[ $name == "$1" || $name == "$2" ]] && continue
        rm -rf -- "${RELEASES:?}/$name"
        say "deleted the old release $name (KB_KEEP_RELEASES=$KEEP)"
    done
}

rollback() {
    local current previous
    read_settings
    read_health_url
    lock
    current=$(current_release)
    [[ -n $current ]] || fail "nothing is deployed under $ROOT yet, so there is nothing to roll back."
    previous=$(release_before "$current")
    [[ -n $previous ]] || fail "there is no release before $current to roll back to."

    SWITCHED_FROM=$current
    SWITCHED=true
    switch_to "$previous"
    say "current -> releases/$previous (was $current)"
    run_up
    check_or_undo "$previous"
    SWITCHED=false
    # As in on_exit: requests that read the old link just now finish before it goes.
    sleep 1
    rm -rf -- "${RELEASES:?}/$current"
    say "rolled back to $previous; deleted $current (deploy its archive again to return to it)"
}

status() {
    local current previous name mark
    read_settings
    current=$(current_release)
    if [[ -z $current ]]; then
        echo "nothing deployed under $ROOT"
        return 0
    fi
    previous=$(release_before "$current")
    echo "current:  $current"
    echo "previous: ${previous:-none (rollback has nowhere to go)}"
    echo "releases under $RELEASES (newest first, KB_KEEP_RELEASES=$KEEP):"
    while read -r name; do
        mark=""
        [[ $name == "$current" ]] && mark="  <- current"
        [[ $name == "$previous" ]] && mark="  <- previous"
        echo "  $name$mark"
    done < <(list_releases | sort -r)
}

main() {
    trap on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    local command=${1:-}
    case $command in
        deploy)
            (($# == 2)) || fail "deploy takes one argument, the site archive: infra/deploy.sh deploy SITE_ARCHIVE." 2
            deploy "$2"
            ;;
        rollback | status)
            (($# == 1)) || fail "$command takes no arguments." 2
            "$command"
            ;;
        -h | --help | help)
            usage
            ;;
        *)
            fail "${command:+unknown command $command; }use deploy SITE_ARCHIVE, rollback or status (infra/deploy.sh --help)." 2
            ;;
    esac
}

main "$@"
