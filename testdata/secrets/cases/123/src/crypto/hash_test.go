package crypto

var vectors = []struct{ in, sha256 string }{
	{"abc", "4e28a6c6e0dc861d930d09dd8fc68dd6f2e65024a114af8a596898b1a2fa16a0"},
	{"secret", "f2a5486ea9618b1e248176f0b6aaeeb21b2ea7dce0418c9896c4234d649b2839"},
}
