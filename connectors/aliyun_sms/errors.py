"""dysmsapi ``Code`` -> what to do next. Sources and confidence: the conformance table in this
folder's README.md."""

from __future__ import annotations

from connectors.errors import ErrorKind, VendorCode, VendorCodes

__all__ = ["LIMITED_CODES", "SMS_CODES"]

R, F, S = ErrorKind.RETRY, ErrorKind.FATAL, ErrorKind.SKIP

SMS_CODES = VendorCodes(
    "aliyun_sms",
    {
        "Throttling": VendorCode(R, "request was denied due to request throttling", retry_after=1.0),
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
# Limits: the message waits to be folded into a later one; never retried in a loop.
# BUSINESS_LIMIT_CONTROL is the per-number flow control; DAY_LIMIT_CONTROL the daily total set in the
# console (both pass with time, so the message is held, not rejected).
LIMITED_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL"})
