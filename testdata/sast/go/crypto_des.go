package legacy

import "crypto/des"

func Encrypt(key, data []byte) ([]byte, error) {
	block, err := des.NewCipher(key) // want: weak-crypto
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	block.Encrypt(out, data)
	return out, nil
}
