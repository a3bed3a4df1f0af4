"""dysmsapi ``Code`` -> what to do next (API-NOTES.md, high confidence for the classic RPC form)."""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["LIMITED_CODES", "SMS_CODES"]

R, F, S = ErrorKind.RETRY, ErrorKind.FATAL, ErrorKind.SKIP

SMS_CODES = VendorCodes(
    "aliyun_sms",
    {
        "Throttling.User": VendorCode(R, "too many requests from this account", retry_after=1.0),
        "isv.MOBILE_NUMBER_ILLEGAL": VendorCode(S, "the phone number is not valid"),
        "isv.AMOUNT_NOT_ENOUGH": VendorCode(F, "the account has no balance left"),
        "isv.TEMPLATE_MISSING_PARAMETERS": VendorCode(F, "the template needs parameters that were not sent"),
        "isv.SMS_TEMPLATE_ILLEGAL": VendorCode(F, "the template code is not approved"),
        "isv.SMS_SIGNATURE_ILLEGAL": VendorCode(F, "the sign name is not approved"),
        "SignatureDoesNotMatch": VendorCode(F, "request signature rejected: check the AccessKey secret"),
        "InvalidAccessKeyId.NotFound": VendorCode(F, "unknown AccessKey ID"),
    },
)
# Per-number limits: the message waits to be folded into a later one; never retried in a loop.
LIMITED_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL"})
