// Cargo runner for wasm32-wasip1: runs a test binary under Node's WASI so
// the pure core's unit tests also run compiled to wasm.
import { readFile } from "node:fs/promises";
import { WASI } from "node:wasi";
import process from "node:process";

const [, , file, ...args] = process.argv;
const wasi = new WASI({ version: "preview1", args: [file, ...args], env: process.env, preopens: { "/": "/" }, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
// Host (proxy-wasm) imports must never be reached by pure-core tests:
// each is a function that fails loudly if called.
const imports = wasi.getImportObject();
for (const imp of WebAssembly.Module.imports(module)) {
  if (imports[imp.module]?.[imp.name]) continue;
  imports[imp.module] ??= {};
  imports[imp.module][imp.name] = () => { throw new Error(`host call ${imp.module}.${imp.name} reached in a pure test`); };
}
const instance = await WebAssembly.instantiate(module, imports);
// Examples linked with the filter also export the proxy-wasm reactor's
// `_initialize`; node's WASI refuses a module with both, so run the command.
const { memory, _start } = instance.exports;
process.exitCode = wasi.start(_start ? { exports: { memory, _start } } : instance);
