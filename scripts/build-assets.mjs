// Compile static/src/app.scss with GOV.UK Frontend and copy its JavaScript
// and images into static/govuk/. Fonts are not copied: GDS Transport belongs
// to GOV.UK alone, so we use the system font stack.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "govuk");

mkdirSync(join(out, "assets"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "assets", "images"), { recursive: true });

const result = sass.compile(join(root, "static", "src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
mkdirSync(join(root, "static", "css"), { recursive: true });
writeFileSync(join(root, "static", "css", "app.css"), result.css);
console.log(`assets built: static/css/app.css (${result.css.length} bytes), static/govuk/`);
