"""Alibaba Cloud SMS (阿里云短信, dysmsapi ``SendSms``): signed RPC requests, per-number limits."""

from connectors.aliyun_sms.client import AliyunSmsClient, SmsResult
from connectors.aliyun_sms.settings import AliyunSmsSettings
from connectors.aliyun_sms.signature import rpc_signature

__all__ = ["AliyunSmsClient", "AliyunSmsSettings", "SmsResult", "rpc_signature"]
