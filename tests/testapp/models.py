"""Test models covering every field type, the three registration paths and custom namespaces."""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cruddy_django import Key, ResourceModel, resource, route
from cruddy_django.policies import is_staff


class Genre(models.TextChoices):
    FICTION = "fiction", "Fiction"
    SCIENCE = "science", "Science"
    HISTORY = "history", "History"


@resource(namespace="library")
class Tag(models.Model):
    """A label on books (registered with the decorator, not the mixin)."""

    name = models.CharField(max_length=30, unique=True)
    slug = models.SlugField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]


class Author(ResourceModel):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    bio = models.TextField(blank=True, default="")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Resource:
        namespace = "library"
        fields = ["id", "name", "email", "user", "books"]


class Book(ResourceModel):
    title = models.CharField(max_length=200)
    isbn = models.CharField(max_length=13, unique=True)
    pages = models.PositiveIntegerField(default=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    rating = models.FloatField(null=True, blank=True)
    published = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    available = models.BooleanField(default=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    metadata = models.JSONField(default=dict, blank=True)
    duration = models.DurationField(null=True, blank=True)
    reading_time = models.TimeField(null=True, blank=True)
    website = models.URLField(blank=True, default="")
    genre = models.CharField(max_length=20, choices=Genre.choices, default=Genre.FICTION)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, blank=True, related_name="books")

    class Resource:
        namespace = "library"
        read_only_fields = ["created_at"]
        search_fields = ["title", "author__name"]
        selections = {"cheap": Q(price__lt=10), "mine": lambda request: Q(author__user=request.user.pk)}
        policies = {"discount": [is_staff]}

    @route.post()
    def discount(self, percent: int, reason: str = "") -> "Book":
        """Lower the price by a percentage."""
        if not 0 < percent < 100:
            raise ValueError("The discount must be between 1 and 99 percent")
        self.price = (self.price * (100 - percent) / 100).quantize(Decimal("0.01"))
        self.save(update_fields=["price"])
        return self

    @route.get()
    def summary(self, words: int = 3) -> dict:
        return {"title": " ".join(self.title.split()[:words]), "pages": self.pages}

    @route.post()
    def retag(self, tags: list[Key[Tag]], available: bool | None = None) -> "Book":
        self.tags.set(tags)
        if available is not None:
            self.available = available
            self.save(update_fields=["available"])
        return self

    @route.delete(url_path="archive-now")
    def archive(self) -> None:
        self.available = False
        self.save(update_fields=["available"])

    @route.put()
    def reschedule(self, published: datetime.date, at: datetime.datetime | None = None, rating: float = 0.0,
                   price: Decimal = Decimal("1.00"), genre: Literal["fiction", "science"] = "fiction") -> "Book":
        self.published, self.rating, self.price, self.genre = published, rating, price, genre
        self.save()
        return self

    @route.post(detail=False)
    @classmethod
    def reprice(cls, genre: Literal["fiction", "science", "history"], price: Decimal):
        """Set the price of every book of a genre; returns them."""
        cls.objects.filter(genre=genre).update(price=price)
        return cls.objects.filter(genre=genre).order_by("pk")

    @route.get(detail=False)
    @classmethod
    def stats(cls, since: datetime.date | None = None) -> dict:
        books = cls.objects.all() if since is None else cls.objects.filter(published__gte=since)
        return {"books": books.count()}

    @route.patch()
    def fail_validation(self) -> None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"title": "This title cannot be changed today."})


class Review(ResourceModel):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.CharField(max_length=50)
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    body = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["book", "reviewer"], name="one_review_per_reviewer")]

    class Resource:
        namespace = "library"
        disable = {"destroy"}


class Country(models.Model):
    """A model with a natural primary key, registered with site.register in resources.py."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=60)


class Note(ResourceModel):
    """A resource with a custom path, no namespace and a small page size."""

    text = models.CharField(max_length=200)
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position"]

    class Resource:
        namespace = ""
        path = "memos"
        page_size = 3
        max_page_size = 10


class Secret(models.Model):
    """Never registered: the API must not reach it, even through relations."""

    value = models.CharField(max_length=100)



class Cover(ResourceModel):
    """A book's one-to-one companion: the reverse to-one relation ``book.cover``."""

    book = models.OneToOneField(Book, null=True, blank=True, on_delete=models.CASCADE, related_name="cover")
    colour = models.CharField(max_length=30)
    printed = models.DateField(null=True, blank=True)

    class Resource:
        namespace = "library"
