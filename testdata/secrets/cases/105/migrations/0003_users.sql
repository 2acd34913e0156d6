INSERT INTO users (email, password_hash) VALUES ('admin@acme.io', '$2b$12$2Muco6ZIdNkWnuPgYfv4vURy0XRr4LXeDfnVMgvousTMCqAiVeWwf');
