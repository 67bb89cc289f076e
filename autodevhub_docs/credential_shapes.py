# The credential shapes `redact` masks wherever they appear: the regex detectors of detect-secrets (AWS, GitHub,
# GitLab, Slack, Stripe, JWT, npm, PyPI, SendGrid, Twilio, ...), plus the few shapes it lacks (Anthropic,
# fine-grained GitHub, Google, PEM), and detect-secrets' Shannon entropy on its charsets. A module of its own
# because importing detect-secrets brings in `requests` (0.25 s): `redact` imports it when a text first holds what a
# shape needs, so a process that never redacts such a text (the Python pass's child) does not pay for it.
from __future__ import annotations

import re

from detect_secrets.plugins import (
    artifactory,
    aws,
    azure_storage_key,
    basic_auth,
    cloudant,
    discord,
    github_token,
    gitlab_token,
    ibm_cloud_iam,
    ibm_cos_hmac,
    jwt,
    mailchimp,
    npm,
    openai,
    pypi_token,
    sendgrid,
    slack,
    softlayer,
    square_oauth,
    stripe,
    telegram_token,
    twilio,
)
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString

# detect-secrets' regex detectors (IPPublicDetector is left out: an IP address is not a credential).
_DETECTORS = (
    artifactory.ArtifactoryDetector, aws.AWSKeyDetector, azure_storage_key.AzureStorageKeyDetector,
    basic_auth.BasicAuthDetector, cloudant.CloudantDetector, discord.DiscordBotTokenDetector,
    github_token.GitHubTokenDetector, gitlab_token.GitLabTokenDetector, ibm_cloud_iam.IbmCloudIamDetector,
    ibm_cos_hmac.IbmCosHmacDetector, jwt.JwtTokenDetector, mailchimp.MailchimpDetector, npm.NpmDetector,
    openai.OpenAIDetector, pypi_token.PypiTokenDetector, sendgrid.SendGridDetector, slack.SlackDetector,
    softlayer.SoftlayerDetector, square_oauth.SquareOAuthDetector, stripe.StripeDetector,
    telegram_token.TelegramBotTokenDetector, twilio.TwilioKeyDetector,
)
# Shapes detect-secrets does not know, or knows only in an older format.
_EXTRA_SHAPES = (
    re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)",
               re.S),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub tokens of any length
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),  # GitHub fine-grained tokens
    re.compile(r"\bsk-ant-[A-Za-z0-9_\-]{10,}"),  # Anthropic keys
    re.compile(r"\bsk-[A-Za-z0-9_\-]{32,}"),  # OpenAI project keys and similar
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),  # Google API keys
    re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),  # Slack tokens with letters in every part
    # JWTs with their signature (detect-secrets' expression ends lazily, so a match stops before the signature)
    re.compile(r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]*"),
)
# Detectors whose expressions capture the secret inside its context (`aws_key = "<secret>"`, `://user:<pass>@`):
# the capture is masked. Any other match is masked whole (a group there is a prefix, like GitHub's `ghp`).
_CAPTURING = (aws.AWSKeyDetector, basic_auth.BasicAuthDetector, cloudant.CloudantDetector,
              ibm_cloud_iam.IbmCloudIamDetector, ibm_cos_hmac.IbmCosHmacDetector, softlayer.SoftlayerDetector,
              npm.NpmDetector)
SHAPES: tuple[tuple[re.Pattern[str], bool], ...] = (
    *((p, False) for p in _EXTRA_SHAPES),
    *((p, d in _CAPTURING and p.groups > 0) for d in _DETECTORS for p in d.denylist),
)
"""Every shape, with whether its groups hold the secret (else the whole match is masked)."""
# Every shape in one expression, so the text without any (nearly all text) is scanned once.
ANY_SHAPE = re.compile("|".join(f"(?{'i' if p.flags & re.I else ''}{'s' if p.flags & re.S else ''}:{p.pattern})"
                                 for p, _ in SHAPES))

BASE64 = Base64HighEntropyString()
"""detect-secrets' entropy on the base64 charset."""
HEX = HexHighEntropyString()
"""detect-secrets' entropy on the hex charset."""
