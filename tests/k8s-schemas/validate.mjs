// Validates Kubernetes manifests against the official API schemas (kubernetes-models, generated from the
// Kubernetes OpenAPI documents; prometheus-operator kinds from @kubernetes-models/prometheus-operator),
// CustomResourceDefinitions against the structural-schema rules, and custom resources against the
// openAPIV3Schema of their CRD (ajv). Unknown fields in custom resources are errors (the API server would
// silently prune them).
//
// Usage: node validate.mjs [--crd file.yaml]... <file-or-directory>...
// Prints one line per document ("ok ..." or "FAIL ..."), then "N passed, N failed"; exits 1 on any failure.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const args = process.argv.slice(2);
const crdFiles = [];
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--crd") crdFiles.push(args[++i]);
  else inputs.push(args[i]);
}
if (inputs.length === 0) {
  console.error("usage: node validate.mjs [--crd crd.yaml]... <file-or-directory>...");
  process.exit(2);
}

function files(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((name) => files(join(path, name)));
  }
  return /\.(ya?ml|json)$/.test(path) ? [path] : [];
}

function documents(path) {
  const text = readFileSync(path, "utf8");
  if (path.endsWith(".json")) return [JSON.parse(text)];
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((doc) => doc != null);
}

const docs = inputs.flatMap(files).flatMap((file) => documents(file).map((doc, index) => ({ file, index, doc })));
const crds = [...crdFiles.flatMap(documents), ...docs.map((d) => d.doc)].filter((d) => d?.kind === "CustomResourceDefinition");

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const crValidators = new Map();
for (const crd of crds) {
  for (const version of crd.spec?.versions ?? []) {
    const schema = strictCopy(version.schema?.openAPIV3Schema ?? {}, true);
    crValidators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
  }
}

// Rejects unknown fields: every object with declared properties gets additionalProperties: false unless it
// keeps unknown fields on purpose. metadata is left to the API server (ObjectMeta).
function strictCopy(schema, isRoot) {
  if (schema === null || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map((s) => strictCopy(s, false));
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties") {
      copy.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) =>
        [name, isRoot && name === "metadata" ? { type: "object" } : strictCopy(sub, false)]));
    } else if (key === "default" || key === "example" || key === "enum") {
      copy[key] = value;
    } else {
      copy[key] = strictCopy(value, false);
    }
  }
  if (copy.properties && copy.additionalProperties === undefined && !copy["x-kubernetes-preserve-unknown-fields"]) {
    copy.additionalProperties = false;
  }
  return copy;
}

// The rules of https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
function structuralErrors(schema, path, insideLogic) {
  const errors = [];
  if (schema === null || typeof schema !== "object") return errors;
  const intOrString = schema["x-kubernetes-int-or-string"] === true;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (!insideLogic && schema.type === undefined && !intOrString && !preserve) errors.push(`${path}: no type`);
  if (insideLogic) {
    for (const forbidden of ["description", "default", "additionalProperties", "nullable"]) {
      if (schema[forbidden] !== undefined) errors.push(`${path}: ${forbidden} inside anyOf/allOf/oneOf/not`);
    }
    if (schema.type !== undefined && !(schema.type === "integer" || schema.type === "string")) errors.push(`${path}: type inside a logical junctor`);
  }
  if (schema.properties && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    errors.push(`${path}: properties and additionalProperties together`);
  }
  if (schema.patternProperties !== undefined) errors.push(`${path}: patternProperties is not allowed`);
  if (schema.$ref !== undefined) errors.push(`${path}: $ref is not allowed`);
  if (intOrString && schema.type !== undefined) errors.push(`${path}: x-kubernetes-int-or-string with a type`);
  if (schema.default !== undefined && !insideLogic) {
    const check = ajv.compile(strictCopy(schema, false));
    if (!check(structuredClone(schema.default))) errors.push(`${path}: default does not match its schema: ${ajv.errorsText(check.errors)}`);
  }
  for (const [name, sub] of Object.entries(schema.properties ?? {})) errors.push(...structuralErrors(sub, `${path}.${name}`, false));
  if (typeof schema.additionalProperties === "object") errors.push(...structuralErrors(schema.additionalProperties, `${path}[*]`, false));
  if (schema.items) errors.push(...structuralErrors(schema.items, `${path}[]`, false));
  for (const junctor of ["anyOf", "allOf", "oneOf"]) {
    (schema[junctor] ?? []).forEach((sub, i) => errors.push(...structuralErrors(sub, `${path}.${junctor}[${i}]`, true)));
  }
  if (schema.not) errors.push(...structuralErrors(schema.not, `${path}.not`, true));
  return errors;
}

function schemaHasPath(schema, jsonPath) {
  let node = schema;
  for (const part of jsonPath.replace(/\[\?.*$/, "").split(".").filter(Boolean)) {
    if (part === "metadata") return true;
    node = node?.properties?.[part];
    if (!node) return false;
  }
  return true;
}

function crdErrors(crd) {
  const errors = [];
  for (const version of crd.spec?.versions ?? []) {
    const root = version.schema?.openAPIV3Schema;
    if (!root) { errors.push(`${version.name}: no openAPIV3Schema`); continue; }
    errors.push(...structuralErrors(root, `${version.name}`, false));
    for (const column of version.additionalPrinterColumns ?? []) {
      if (!schemaHasPath(root, column.jsonPath)) errors.push(`${version.name}: printer column ${column.name} path ${column.jsonPath} is not in the schema`);
    }
    const scale = version.subresources?.scale;
    for (const path of scale ? [scale.specReplicasPath, scale.statusReplicasPath, scale.labelSelectorPath].filter(Boolean) : []) {
      if (!schemaHasPath(root, path)) errors.push(`${version.name}: scale path ${path} is not in the schema`);
    }
  }
  return errors;
}

async function modelFor(apiVersion, kind) {
  const modules = apiVersion.startsWith("monitoring.coreos.com/")
    ? [`@kubernetes-models/prometheus-operator/${apiVersion}`]
    : [`kubernetes-models/${apiVersion}`];
  for (const name of modules) {
    try {
      const module = await import(name);
      if (module[kind]) return module[kind];
    } catch {
      // Not a known group/version.
    }
  }
  return undefined;
}

let passed = 0;
let failed = 0;
for (const { file, index, doc } of docs) {
  const label = `${file}#${index} ${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
  const errors = [];
  if (typeof doc?.apiVersion !== "string" || typeof doc?.kind !== "string") {
    errors.push("apiVersion and kind are required");
  } else {
    const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : ["", doc.apiVersion];
    const custom = crValidators.get(`${group}/${version}/${doc.kind}`);
    if (custom) {
      if (!custom(structuredClone(doc))) errors.push(...custom.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`));
    } else {
      const Model = await modelFor(doc.apiVersion, doc.kind);
      if (!Model) {
        errors.push(`no schema known for ${doc.apiVersion} ${doc.kind}`);
      } else {
        try {
          new Model(doc).validate();
        } catch (e) {
          errors.push(e.message);
        }
      }
      if (doc.kind === "CustomResourceDefinition") errors.push(...crdErrors(doc));
    }
  }
  if (errors.length === 0) {
    passed++;
    console.log(`ok ${label}`);
  } else {
    failed++;
    console.log(`FAIL ${label}: ${errors.join("; ")}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
