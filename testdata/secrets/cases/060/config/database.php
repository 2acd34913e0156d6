<?php
return [
    'mysql' => [
        'host' => 'db.prod.internal',
        'username' => 'laravel',
        'password' => 'vK94j6v4wlNJSA',
    ],
];
