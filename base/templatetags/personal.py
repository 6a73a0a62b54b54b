"""``{% personal "name" arg … %}…{% endpersonal %}``: a part of a page that is the person's
own (a private note). Rendered for a permission class (``base.classcache``) it becomes a
slot that the renderer registered under ``name`` fills for each person asking; rendered
for one person it is the part itself. Its arguments are joined by colons."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from base import classcache

register = template.Library()


class PersonalNode(template.Node):
    def __init__(
        self,
        name: template.base.FilterExpression,
        args: list[template.base.FilterExpression],
        nodelist: template.NodeList,
    ) -> None:
        self.name, self.args, self.nodelist = name, args, nodelist

    def render(self, context: template.Context) -> SafeString | str:
        if classcache.is_rendering_for_class(context):
            arg = ":".join(str(a.resolve(context)) for a in self.args)
            return classcache.slot(self.name.resolve(context), arg)
        return self.nodelist.render(context)


@register.tag
def personal(parser: template.base.Parser, token: template.base.Token) -> PersonalNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError('{% personal "name" arg %} takes a name and arguments')
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    args = [parser.compile_filter(bit) for bit in bits[2:]]
    return PersonalNode(parser.compile_filter(bits[1]), args, nodelist)
