// The one place that names the rendering library: lit-html, pinned in package.json and
// served by Front Door itself (/assets/lit-html/), never from a CDN.
export { html, nothing, render } from "/assets/lit-html/lit-html.js";
export { repeat } from "/assets/lit-html/directives/repeat.js";
