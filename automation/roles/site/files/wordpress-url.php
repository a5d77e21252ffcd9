<?php
// Switches WordPress's siteurl and home to the site's scheme after its certificate was installed (https) or removed
// (http), keeping the host and path WordPress has. Run by site-tls.yml as the site user with the site's PHP, in the
// current release: php wordpress-url.php <https|http>. Prints one line: VIP-WORDPRESS-URL {"installed":…,"changed":…}.
$scheme = $argv[1] ?? '';
if ($scheme !== 'https' && $scheme !== 'http') {
    fwrite(STDERR, "the scheme must be https or http\n");
    exit(2);
}
$_SERVER['HTTP_HOST'] = 'localhost';
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

// whatever WordPress prints while loading is not this script's report
ob_start();
require getcwd() . '/wp-load.php';
ob_end_clean();

if (!is_blog_installed()) {
    echo 'VIP-WORDPRESS-URL ' . json_encode(['installed' => false, 'changed' => false]) . "\n";
    exit(0);
}
$changed = false;
foreach (['siteurl', 'home'] as $option) {
    $current = (string) get_option($option);
    $wanted = preg_replace('#^https?://#i', $scheme . '://', $current);
    if ($wanted !== null && $wanted !== $current) {
        update_option($option, $wanted);
        $changed = true;
    }
}
echo 'VIP-WORDPRESS-URL ' . json_encode(['installed' => true, 'changed' => $changed]) . "\n";
