package store

import (
	"fmt"
	"strings"
)

func (s *Store) Insert(cols []string, vals []any) error {
	placeholders := strings.Repeat("?,", len(cols))
	q := fmt.Sprintf("INSERT INTO items (%s) VALUES (%s)", strings.Join(cols, ","), placeholders[:len(placeholders)-1])
	_, err := s.db.Exec(q, vals...)
	return err
}
