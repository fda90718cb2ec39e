"""Pages of duty of care, one module per subject. Every object is fetched through
``visible_to(user)`` (404) and every change checks its permission (403); opening a case is
logged."""
