<?php
$config = Brevo\Configuration::getDefaultConfiguration()->setApiKey('api-key', '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');
