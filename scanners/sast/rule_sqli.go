package sast

import "github.com/picketsec/picket/scanners"

var sqlInjection = &rule{
	meta: meta("sql-injection", scanners.High,
		"SQL query built from user input",
		"Input spliced into SQL text can change the query: read or delete other rows, bypass a login, or run statements the code never meant to run.",
		"Keep the SQL text constant and pass the values as parameters (placeholders such as ?, $1 or %s with an argument tuple); for identifiers such as a sort column, map the input to a constant allowlist.",
		"CWE-89", "A03:2021 Injection",
		`db.Query("SELECT * FROM users WHERE id = " + r.FormValue("id"))`),
	sinks: []sink{
		{langs: langGo, names: []string{"*.Query", "*.QueryRow", "*.Exec", "*.Prepare", "*.Raw", "*.Where", "*.Order"}, args: []int{0}, local: true,
			when: (*match).sqlish, advice: `use a placeholder: db.Query("… WHERE id = ?", id)`},
		{langs: langGo, names: []string{"*.QueryContext", "*.QueryRowContext", "*.ExecContext", "*.PrepareContext", "*.Select"}, args: []int{1}, local: true,
			when: (*match).sqlish, advice: `use a placeholder: db.QueryContext(ctx, "… WHERE id = ?", id)`},
		{langs: langGo, names: []string{"*.Get", "*.Select", "*.QueryRowx", "*.Queryx"}, args: []int{1}, local: true,
			when:   func(m *match) bool { return sqlWords.MatchString(m.src.frag) },
			advice: `use a placeholder: db.Get(&v, "… WHERE id = ?", id)`},
		{langs: langPython, names: []string{"*.execute", "*.executemany", "*.executescript", "*.raw", "sqlalchemy.text", "*.read_sql", "*.read_sql_query"}, args: []int{0}, local: true,
			when: (*match).sqlish, advice: `use a placeholder and pass the values separately: cursor.execute("… WHERE id = %s", (id,))`},
		{langs: langPython, names: []string{"*.extra"}, kw: []string{"where", "select"}, advice: "pass values through params= instead of building the clause"},
		{langs: langJS, names: []string{"*.query", "*.execute", "*.raw", "*.$queryRawUnsafe", "*.$executeRawUnsafe", "*.whereRaw", "*.orderByRaw", "*.havingRaw"}, args: []int{0}, local: true,
			when: (*match).sqlish, advice: "use a placeholder: db.query(\"… WHERE id = ?\", [id])"},
		{langs: langJava, names: []string{"*.executeQuery", "*.executeUpdate", "*.executeLargeUpdate", "*.execute", "*.addBatch", "*.prepareStatement", "*.prepareCall",
			"*.createQuery", "*.createNativeQuery", "*.createSQLQuery", "*.queryForObject", "*.queryForList", "*.queryForMap", "*.queryForRowSet", "*.query", "*.update", "*.batchUpdate"},
			args: []int{0}, local: true, when: (*match).sqlish,
			advice: `use a PreparedStatement with ? placeholders: conn.prepareStatement("… WHERE id = ?") and setString(1, id)`},
	},
}
