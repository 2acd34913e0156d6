@Controller('users')
export class UsersController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  find(@Query('name') name: string, @Param('id') id: number) {
    return this.ds.query(`SELECT * FROM users WHERE name = '${name}'`); // want: sql-injection
  }

  @Get(':id')
  one(@Param('id') id: number) {
    return this.ds.query(`SELECT * FROM users WHERE id = ${id}`);
  }
}
