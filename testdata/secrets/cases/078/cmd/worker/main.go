package main

var cfg = Config{
	User:     "worker",
	Password: "wgWnwGeQniIdKA4Bbm3yFU1I",
}
