"""The upload-time checker of letter templates (R-27): a walk over Jinja2's parse tree that allows a
small, typed subset and names every violation with its line. See templates.py for the rules."""

from __future__ import annotations

from jinja2 import nodes

from ..rules.masking import has_full_number
from ..rules.model import LetterType
from .templates import FILTERS, TESTS, TemplateProblem
from .variables import LIST_ELEMENT, RECORD_FIELDS, VARIABLES, Kind

_STATEMENT_NAMES = {
    "Macro": "macros", "CallBlock": "call blocks", "Include": "include", "Import": "import",
    "FromImport": "import", "Extends": "extends", "Block": "blocks", "Assign": "set",
    "AssignBlock": "set", "FilterBlock": "filter blocks", "With": "with", "Scope": "scopes",
    "ScopedEvalContextModifier": "autoescape", "EvalContextModifier": "autoescape",
    "ExprStmt": "do", "Break": "break", "Continue": "continue",
}
_SCALARS = (str, int, float, bool, type(None))


class Checker:
    def __init__(self, allowed: frozenset[str], letter_type: LetterType) -> None:
        self.allowed = allowed
        self.letter_type = letter_type
        self.problems: list[TemplateProblem] = []
        self.used: set[str] = set()

    def fail(self, node: nodes.Node, code: str, message: str) -> None:
        self.problems.append(TemplateProblem(getattr(node, "lineno", None), code, message))

    # --- statements ---------------------------------------------------------------------------

    def template(self, tree: nodes.Template) -> None:
        self.body(tree.body, {})

    def body(self, stmts: list[nodes.Node], scope: dict[str, Kind]) -> None:
        for node in stmts:
            self.stmt(node, scope)

    def stmt(self, node: nodes.Node, scope: dict[str, Kind]) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    self.literal(child, child.data)
                else:
                    self.expr(child, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, scope)
            self.body(node.body, scope)
            for elif_ in node.elif_:
                self.stmt(elif_, scope)
            self.body(node.else_, scope)
        elif isinstance(node, nodes.For):
            self.for_loop(node, scope)
        else:
            what = _STATEMENT_NAMES.get(type(node).__name__, type(node).__name__)
            self.fail(node, "statement_not_allowed", f"'{what}' is not allowed in letter templates")

    def for_loop(self, node: nodes.For, scope: dict[str, Kind]) -> None:
        if node.recursive:
            self.fail(node, "statement_not_allowed", "recursive loops are not allowed")
        if not isinstance(node.target, nodes.Name):
            self.fail(node, "loop_target", "loop over one name only: {% for item in instalments %}")
            return
        kind = self.expr(node.iter, scope)
        element = LIST_ELEMENT.get(kind) if kind else None
        if kind is not None and element is None:
            self.fail(node, "not_iterable", f"only lists can be looped over ({', '.join(LIST_ELEMENT)})")
        inner = {**scope, node.target.name: element or Kind.TEXT, "loop": Kind.LOOP}
        if node.test is not None:
            self.expr(node.test, inner)
        self.body(node.body, inner)
        self.body(node.else_, scope)

    def literal(self, node: nodes.Node, text: str) -> None:
        if has_full_number(text):
            self.fail(node, "full_number", "the template text holds a number as long as an ID or "
                                           "card number; use the masked variables (R-30)")

    # --- expressions --------------------------------------------------------------------------

    def expr(self, node: nodes.Node, scope: dict[str, Kind]) -> Kind | None:
        method = getattr(self, "e_" + type(node).__name__, None)
        if method is None:
            what = "function and method calls are" if isinstance(node, nodes.Call) else \
                "subscripts are" if isinstance(node, (nodes.Getitem, nodes.Slice)) else \
                f"'{type(node).__name__}' expressions are"
            self.fail(node, "expression_not_allowed", f"{what} not allowed in letter templates")
            return None
        return method(node, scope)

    def e_Const(self, node: nodes.Const, scope) -> Kind | None:
        if not isinstance(node.value, _SCALARS):
            self.fail(node, "expression_not_allowed", "only text and number literals are allowed")
            return None
        if isinstance(node.value, str):
            self.literal(node, node.value)
            return Kind.TEXT
        return Kind.BOOL if isinstance(node.value, bool) else Kind.INT

    def e_Name(self, node: nodes.Name, scope: dict[str, Kind]) -> Kind | None:
        if node.ctx != "load":
            self.fail(node, "statement_not_allowed", "assignments are not allowed")
            return None
        if node.name in scope:
            return scope[node.name]
        if node.name in self.allowed:
            self.used.add(node.name)
            return VARIABLES[node.name].kind
        if node.name in VARIABLES:
            self.fail(node, "debt_detail", f"'{node.name}' is a debt detail, not allowed in a "
                                           f"{self.letter_type.value} (R-30)")
        else:
            self.fail(node, "unknown_variable", f"unknown variable '{node.name}'")
        return None

    def e_Getattr(self, node: nodes.Getattr, scope: dict[str, Kind]) -> Kind | None:
        base = self.expr(node.node, scope)
        if node.attr.startswith("_"):
            self.fail(node, "attribute_not_allowed", f"attribute '{node.attr}' is not allowed (sandbox)")
            return None
        fields = RECORD_FIELDS.get(base) if base else None
        if fields is not None and node.attr in fields:
            return fields[node.attr]
        if base is not None:
            have = f" (fields: {', '.join(fields)})" if fields else ""
            self.fail(node, "attribute_not_allowed", f"attribute '{node.attr}' is not available on "
                                                     f"a {base.value} value{have}")
        return None

    def e_Filter(self, node: nodes.Filter, scope: dict[str, Kind]) -> Kind | None:
        kind = self.expr(node.node, scope) if node.node is not None else None
        self.arguments(node, scope)
        if node.name not in FILTERS:
            self.fail(node, "filter_not_allowed", f"filter '{node.name}' is not allowed; allowed: "
                                                  f"{', '.join(FILTERS)}")
            return None
        accepts, out = FILTERS[node.name]
        if kind is not None and accepts is not None and kind not in accepts:
            self.fail(node, "filter_type", f"filter '{node.name}' takes "
                                           f"{'/'.join(sorted(k.value for k in accepts))}, not {kind.value}")
        return out or kind

    def e_Test(self, node: nodes.Test, scope: dict[str, Kind]) -> Kind | None:
        if node.name not in TESTS:
            self.fail(node, "test_not_allowed", f"test '{node.name}' is not allowed; allowed: {', '.join(TESTS)}")
        self.expr(node.node, scope)
        self.arguments(node, scope)
        return Kind.BOOL

    def arguments(self, node: nodes.Filter | nodes.Test, scope: dict[str, Kind]) -> None:
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            self.fail(node, "expression_not_allowed", "*args / **kwargs are not allowed")
        for arg in node.args:
            self.expr(arg, scope)
        for kw in node.kwargs:
            self.expr(kw.value, scope)

    def e_CondExpr(self, node: nodes.CondExpr, scope) -> Kind | None:
        self.expr(node.test, scope)
        kind = self.expr(node.expr1, scope)
        if node.expr2 is not None:
            self.expr(node.expr2, scope)
        return kind

    def e_Compare(self, node: nodes.Compare, scope) -> Kind:
        self.expr(node.expr, scope)
        for op in node.ops:
            self.expr(op.expr, scope)
        return Kind.BOOL

    def e_And(self, node: nodes.BinExpr, scope) -> Kind:
        self.expr(node.left, scope)
        self.expr(node.right, scope)
        return Kind.BOOL

    e_Or = e_And

    def e_Not(self, node: nodes.Not, scope) -> Kind:
        self.expr(node.node, scope)
        return Kind.BOOL

    def e_Concat(self, node: nodes.Concat, scope) -> Kind:
        for child in node.nodes:
            self.expr(child, scope)
        return Kind.TEXT
