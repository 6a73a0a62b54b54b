"""Input only: forms describe and validate what a person types, one module per
sub-domain as the views are (``councils.forms.meetings`` beside
``councils.views.meetings``). The rules that change records live in
``councils.services``."""
