#!/usr/bin/env bash
# Writes a migration for the changes in prisma/schema.prisma since the last commit (or since REV):
#   pnpm db:new-migration add_meter_time_zone [REV]
# It diffs the two schema files, so it needs no database (Prisma's offline JS engine cannot diff from
# a live database). Review the SQL, then apply it with `pnpm db:migrate`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
name="${1:?usage: pnpm db:new-migration <name> [git revision of the previous schema, default HEAD]}"
rev="${2:-HEAD}"
previous=$(mktemp --suffix=.prisma)
trap 'rm -f "$previous"' EXIT
git show "$rev:prisma/schema.prisma" >"$previous"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
sql=$(DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/metertwin}" \
  pnpm exec prisma migrate diff --from-schema-datamodel "$previous" --to-schema-datamodel prisma/schema.prisma --script)
if ! grep -qvE '^\s*(--.*)?$' <<<"$sql"; then
  echo "no schema changes since $rev" >&2
  exit 1
fi
mkdir -p "$dir"
printf '%s\n' "$sql" >"$dir/migration.sql"
echo "wrote $dir/migration.sql"
