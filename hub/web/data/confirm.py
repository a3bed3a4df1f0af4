"""What a merge, an unmerge or a bulk retry is about to do, for the page that asks before it acts.

The console never merges, unmerges or retries every dead push on one click: the first POST shows this
preview (names, counts), and only the second one, carrying ``confirm=yes``, acts.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.errors import InputError, NotFoundError
from core.models import ClusterMember, Customer, CustomerCluster, Lead
from dedupe.review import get_candidate
from hub.web.data.quarantine import quarantine
from hub.web.labels import label, reason
from services.finance.outbox import list_messages
from services.routing.strategies import OPEN_STAGES

__all__ = ["Preview", "merge_preview", "replay_all_preview", "retry_all_preview", "unmerge_preview"]

MAX_LISTED = 50


class Preview(BaseModel):
    title: str  # the question, e.g. 确认合并这两家客户？
    effects: list[str]  # what will happen, one sentence each
    items: list[str]  # the names or keys it touches (at most MAX_LISTED)
    count: int  # how many things it touches in all
    ids: list[int] = []  # what the confirming POST acts on (bulk retry: exactly the rows shown)


def _open_leads(session: Session, customer_ids: list[int]) -> int:
    query = select(func.count()).where(Lead.customer_id.in_(customer_ids), Lead.stage.in_(OPEN_STAGES))
    return int(session.scalar(query) or 0)


def _name(session: Session, customer_id: int) -> str:
    customer = session.get(Customer, customer_id)
    return f"#{customer_id} {customer.name}" if customer else f"#{customer_id}"


def merge_preview(session: Session, candidate_id: int) -> Preview:
    candidate = get_candidate(session, candidate_id)
    if candidate.status != "pending":
        raise InputError(f"候选 #{candidate_id} {label(candidate.status, 'candidate')}，不能再合并")
    ids = [candidate.left_id, candidate.right_id]
    leads = _open_leads(session, ids)
    return Preview(
        title=f"确认合并候选 #{candidate_id} 的两家客户？",
        effects=[
            "两家将合并为一个客户：主记录按字段取值规则选出，另一家标记为已合并（可以拆分撤销）。",
            f"两家名下未完成的线索 {leads} 条归同一名负责人，相关销售会收到通知。",
            "这次合并连同备注写入审计日志，记在您的名下。",
        ],
        items=[_name(session, i) for i in ids],
        count=2,
    )


def unmerge_preview(session: Session, customer_id: int) -> Preview:
    member = session.scalars(select(ClusterMember).where(ClusterMember.customer_id == customer_id)).first()
    if member is None:
        raise NotFoundError(f"customer {customer_id} is not in a merged cluster")
    cluster = session.get_one(CustomerCluster, member.cluster_id)
    members = list(
        session.scalars(
            select(ClusterMember.customer_id)
            .where(ClusterMember.cluster_id == cluster.id)
            .order_by(ClusterMember.customer_id)
        )
    )
    dissolve = customer_id == cluster.golden_id or len(members) <= 2
    leaving = members if dissolve else [customer_id]
    effects = (
        [f"整个客户簇将解散：{len(leaving)} 个客户恢复为合并前的独立客户。"]
        if dissolve
        else [f"客户 #{customer_id} 将从簇中拆出，恢复合并前的资料；簇中其余客户保持合并。"]
    )
    effects += [
        "恢复的客户各自的未完成线索回到其负责人名下，相关销售会收到通知。",
        "这次拆分连同备注写入审计日志，记在您的名下。",
    ]
    return Preview(
        title=f"确认拆分客户 #{customer_id}？",
        effects=effects,
        items=[_name(session, i) for i in leaving],
        count=len(leaving),
    )


def retry_all_preview(engine: Engine) -> Preview:
    dead = list_messages(engine, "dead", 100_000)
    return Preview(
        title=f"确认重试全部 {len(dead)} 条推送失败的消息？",
        effects=[
            f"{len(dead)} 条死信回到待发送队列，立即重试；发送前先按业务键回查 ERP，已入账的不会重复推送。",
            "只重试下面列出的这些；确认之后新失败的不在其内。",
        ],
        items=[str(m["business_key"]) for m in dead[:MAX_LISTED]],
        count=len(dead),
        ids=[int(m["id"]) for m in dead],
    )


def replay_all_preview(session: Session) -> Preview:
    held = quarantine(session, 100_000)
    return Preview(
        title=f"确认重放隔离区全部 {held.open} 条记录？",
        effects=[
            f"{held.open} 条记录按当前的字段映射重新处理；通过的入库，仍失败的留在隔离区并更新原因。",
            "只重放下面列出的这些；确认之后新隔离的不在其内。",
        ],
        items=[f"#{q.id} {q.source or '—'}：{reason(q.error)}" for q in held.items[:MAX_LISTED]],
        count=held.open,
        ids=[q.id for q in held.items],
    )
