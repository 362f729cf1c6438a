# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity fixes for the ALB tier of the stand-in (picked up by fixes.all_fixes())."""

from __future__ import annotations

from fixes import Fix  # pylint: disable=import-error

# What DescribeLoadBalancerAttributes returns for a new Application Load Balancer: every
# attribute, with its default, whether or not it was ever set. moto keeps only five
# (access_logs.s3.enabled and idle_timeout.timeout_seconds are missing), and
# amazon.aws.elb_application_lb fails with KeyError 'access_logs_s3_enabled'.
APPLICATION_LB_DEFAULT_ATTRIBUTES = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "connection_logs.s3.enabled": "false",
    "connection_logs.s3.bucket": "",
    "connection_logs.s3.prefix": "",
    "health_check_logs.s3.enabled": "false",
    "client_keep_alive.seconds": "3600",
    "deletion_protection.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    # Cross-zone load balancing is always on for ALBs.
    "load_balancing.cross_zone.enabled": "true",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
    "zonal_shift.config.enabled": "false",
}


def _apply_application_lb_attributes() -> None:
    from moto.elbv2.models import FakeLoadBalancer

    original = getattr(FakeLoadBalancer, "_moto_init", None) or FakeLoadBalancer.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.type == "application":
            self.attrs = dict(APPLICATION_LB_DEFAULT_ATTRIBUTES, **self.attrs)
            self.attrs["load_balancing.cross_zone.enabled"] = "true"

    FakeLoadBalancer._moto_init = original  # pylint: disable=protected-access
    FakeLoadBalancer.__init__ = __init__


FIXES = [
    Fix(
        fix_id="elbv2-application-lb-default-attributes",
        aws_behaviour=(
            "DescribeLoadBalancerAttributes of an Application Load Balancer returns every attribute with its default "
            "(access_logs.s3.enabled false, idle_timeout.timeout_seconds 60, routing.http.desync_mitigation_mode "
            "defensive, routing.http2.enabled true...), not only those set; moto returns five and "
            "amazon.aws.elb_application_lb fails with KeyError access_logs_s3_enabled."
        ),
        reference=(
            "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancerAttributes.html, "
            "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes"
        ),
        apply=_apply_application_lb_attributes,
    ),
]
