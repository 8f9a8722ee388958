"""The one settings module. Every deployment choice comes from an environment variable (see README)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from waspada import conf

BASE_DIR = Path(__file__).resolve().parent

try:
    DATA_DIR = conf.data_dir()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    SECRET_KEY = conf.secret_key(DATA_DIR)
    DEBUG = conf.env_bool("WASPADA_DEBUG", False)
    ALLOWED_HOSTS = conf.env_list("WASPADA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    CSRF_TRUSTED_ORIGINS = conf.env_list("WASPADA_CSRF_TRUSTED_ORIGINS", [])
    DATABASES = {
        "default": conf.database_from_url(
            conf.env_str("DATABASE_URL", ""), sqlite_default=DATA_DIR / "waspada.sqlite3"
        )
    }
    REDIS_URL = conf.env_str("REDIS_URL", "")
    LOGIN_MAX_FAILURES = conf.env_int("WASPADA_LOGIN_MAX_FAILURES", 5, minimum=1)
    LOGIN_LOCKOUT_SECONDS = conf.env_int("WASPADA_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
    # Proxies whose X-Forwarded-For names the real client (also passed to gunicorn); "*" trusts any peer.
    FORWARDED_ALLOW_IPS = conf.env_list("WASPADA_FORWARDED_ALLOW_IPS", ["127.0.0.1"])
    DEFAULT_REGION = conf.env_str("WASPADA_DEFAULT_REGION", "65")
    SECURE_COOKIES = conf.env_bool("WASPADA_SECURE_COOKIES", False)
    TIME_ZONE = conf.env_str("WASPADA_TIME_ZONE", "Asia/Jakarta")
    # Message gateways: each channel's webhook is refused until its shared secret is set.
    GATEWAY_SECRETS = {
        "sms": conf.env_str("WASPADA_SMS_SECRET", ""),
        "whatsapp": conf.env_str("WASPADA_WHATSAPP_SECRET", ""),
        "telegram": conf.env_str("WASPADA_TELEGRAM_SECRET", ""),
    }
    MAX_ATTACHMENT_BYTES = conf.env_int("WASPADA_MAX_ATTACHMENT_MB", 10, minimum=1, maximum=100) * 1024 * 1024
    # News monitoring: findings at or above this relevance score become candidate reports; fetch limits.
    MEDIA_REVIEW_THRESHOLD = conf.env_float("WASPADA_MEDIA_REVIEW_THRESHOLD", 0.5, minimum=0.0, maximum=1.0)
    MEDIA_FETCH_TIMEOUT = conf.env_float("WASPADA_MEDIA_FETCH_TIMEOUT", 20.0, minimum=0.1, maximum=300.0)
    MEDIA_MAX_PAGE_BYTES = conf.env_int("WASPADA_MEDIA_MAX_PAGE_MB", 5, minimum=1, maximum=100) * 1024 * 1024
    MEDIA_HOST_SPACING = conf.env_float("WASPADA_MEDIA_HOST_SPACING", 2.0, minimum=0.0, maximum=600.0)
except conf.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "waspada.core",
    "waspada.accounts",
    "waspada.regions",
    "waspada.elections",
    "waspada.reports",
    "waspada.risk",
    "waspada.media",
    "waspada.alerts",
    "waspada.dashboard",
    "waspada.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "waspada.core.language.ChosenLanguageMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "waspada.api.errors.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "waspada.accounts.middleware.RegionTimezoneMiddleware",
]

# Background work (`waspada worker`): Django's tasks API (the django-tasks backport on 5.2), queued in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "deliveries"]}}

ROOT_URLCONF = "waspada.urls"
WSGI_APPLICATION = "waspada.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waspada.core.context.navigation",
            ],
        },
    },
]

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Shared by every server process on this machine; no extra service needed.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC; shown in the zone of the user's region (WIB/WITA/WIT)

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"waspada": {"level": conf.env_str("WASPADA_LOG_LEVEL", "INFO"), "propagate": True}},
}
