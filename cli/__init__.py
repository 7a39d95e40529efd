"""mubiao (目标): monthly submissions in, target-completion marts out."""
