const users = [{ email: "demo@acme.io", password: "demo-password-1" }];
