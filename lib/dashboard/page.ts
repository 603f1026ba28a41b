/**
 * The dashboard's page and assets, embedded in the program as text modules (nothing is read
 * from disk or fetched from a CDN at run time): the HTML shell, its script and style, and
 * uPlot (MIT, bundled from npm with its licence served beside it). The shell holds no data,
 * so it is served without a key; the data comes from `events` and `api/state`, which need one.
 */
import html from "./assets/dashboard.html" with { type: "text" };
import css from "./assets/dashboard.css" with { type: "text" };
import js from "./assets/dashboard.js" with { type: "text" };
import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import uplotLicense from "uplot/LICENSE" with { type: "text" };

/** An embedded file. */
export interface Asset {
  type: string;
  body: string;
}

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; " +
    "frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** The page and assets by path relative to the dashboard's base (`""` is the page). */
export const DASHBOARD_ASSETS: Readonly<Record<string, Asset>> = {
  "": { type: "text/html; charset=utf-8", body: html },
  "assets/dashboard.css": { type: "text/css; charset=utf-8", body: css },
  "assets/dashboard.js": { type: "text/javascript; charset=utf-8", body: js },
  "assets/uplot.js": {
    type: "text/javascript; charset=utf-8",
    body: `/*! uPlot 1.6.32 (MIT License, see assets/uplot-license.txt) */\n${uplotJs}`,
  },
  "assets/uplot.css": { type: "text/css; charset=utf-8", body: uplotCss },
  "assets/uplot-license.txt": { type: "text/plain; charset=utf-8", body: uplotLicense },
};

/** The response for an embedded asset. */
export function assetResponse(asset: Asset): Response {
  return new Response(asset.body, {
    headers: { "content-type": asset.type, "cache-control": "no-cache", ...SECURITY_HEADERS },
  });
}
