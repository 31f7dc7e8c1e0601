#!/usr/bin/env bash
# Package quality and runtime checks (issue 8). `.ci/run` calls this after the build and
# `npm test`; locally: `npm run build && bash .ci/package-checks.sh` (or `npm run check:package`).
#
#   publint, arethetypeswrong   the package.json exports and their types resolve everywhere
#   size-limit                  helpdesk-core/tickets <= 20 kB min+gzip without xstate and zod
#   fuzz                        10,000 runs per public command: only HelpdeskError, nothing changed
#   test/package, test/runtime  npm pack installed into an empty folder: import + require,
#                               ESM and CJS apps, tree-shaking, headless Chromium, edge runtime
#   docs:api                    the TypeDoc API reference builds with no warning
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n-- %s\n' "$*"; }

if [ ! -f dist/index.js ] || [ ! -f dist/index.cjs ]; then
  step "build (dist/ is missing)"
  npm run build
fi

step "publint --strict"
npx --no-install publint --strict

# node10 resolution is ignored: it cannot see subpath exports at all, and engines is node >= 20.
step "arethetypeswrong (node16 from ESM and CJS, bundler)"
npx --no-install attw --pack . --profile node16

step "size budget (.size-limit.json)"
npx --no-install size-limit

step "fuzzing the public commands, ${FUZZ_RUNS:=10000} runs each"
FUZZ_RUNS="$FUZZ_RUNS" npx --no-install vitest run test/fuzz

step "chromium for the browser check"
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ERROR: $CHROMIUM_PATH is missing and installing Debian's chromium needs root (apt-get)." >&2
    exit 1
  fi
  echo "$CHROMIUM_PATH is missing: installing Debian's chromium with apt-get"
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }; then
    echo "ERROR: apt-get could not install chromium; the browser check cannot run." >&2
    exit 1
  fi
  if [ ! -x "$CHROMIUM_PATH" ]; then
    echo "ERROR: chromium was installed but $CHROMIUM_PATH is still missing." >&2
    exit 1
  fi
fi
"$CHROMIUM_PATH" --version 2>/dev/null
export CHROMIUM_PATH

# The example server's pages in Chromium (issue 18): register, activate from the mail, SMS login,
# a ticket through the agent and back. Needs no build (tsx sources); about a minute.
step "example portal end to end in headless Chromium"
npx --no-install vitest run --config test/e2e/vitest.config.ts

step "packed package: Node ESM + CJS consumers, tree-shaking, headless Chromium, edge runtime"
npx --no-install vitest run --config test/package/vitest.config.ts

# The API reference from the JSDoc (issue 18). It must build without a warning: every exported
# symbol documented, every type the public API refers to exported, every {@link} resolved.
step "API reference (npm run docs:api -- --treatWarningsAsErrors)"
npm run --silent docs:api -- --treatWarningsAsErrors
