// Parses Mermaid diagrams with the real mermaid 11 package under jsdom.
// Input on stdin: a JSON array of diagram texts. Output on stdout: a JSON array, null for a diagram that parses,
// else the parser's error message.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const key of ["navigator", "Element", "HTMLElement", "SVGElement", "DOMParser", "getComputedStyle"]) {
  if (!(key in globalThis)) {
    try { globalThis[key] = dom.window[key]; } catch { /* read-only in this node version */ }
  }
}

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const diagrams = JSON.parse(input);
const results = [];
for (const text of diagrams) {
  try {
    await mermaid.parse(text);
    results.push(null);
  } catch (error) {
    results.push(String(error && error.message ? error.message : error).slice(0, 500));
  }
}
process.stdout.write(JSON.stringify(results));
