const apiKey = config.get("apiKey");
const secret = await vault.read("kv/data/app");
const token = req.headers["authorization"];
const password = form.elements.password.value;
