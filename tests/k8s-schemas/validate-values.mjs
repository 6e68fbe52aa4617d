// Validates Helm values files against a chart's values.schema.json (draft-07), as `helm install` would.
// Usage: node validate-values.mjs <values.schema.json> <values.yaml>...
// Prints one line per file, then "N passed, N failed"; exits 1 on any failure.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import Ajv from "ajv";

const [schemaPath, ...valuesPaths] = process.argv.slice(2);
if (!schemaPath || valuesPaths.length === 0) {
  console.error("usage: node validate-values.mjs <values.schema.json> <values.yaml>...");
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
let passed = 0;
let failed = 0;
for (const path of valuesPaths) {
  if (validate(parse(readFileSync(path, "utf8")) ?? {})) {
    passed++;
    console.log(`ok ${path}`);
  } else {
    failed++;
    console.log(`FAIL ${path}: ${ajv.errorsText(validate.errors)}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
