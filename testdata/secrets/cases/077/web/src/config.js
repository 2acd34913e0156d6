export const config = {
  apiBase: "https://api.acme.io",
  clientSecret: "ro8xBEV3yS2oWlP33ETPdOcgxPYh8ZWl",
};
